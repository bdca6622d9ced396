"""Request and response schemas of 生育 claims."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from app.id_numbers import mask_id_numbers
from app.schemas import BaseSchema
from app.selfservice.maternity.review import Step
from app.selfservice.maternity.rules import AllowanceKind, ClaimType


def _text(limit: int, what: str) -> validate.Length:
    return validate.Length(min=1, max=limit, error=f"{what}应在 1 到 {limit} 个字之间。")


def _amount(what: str, **extra: Any) -> fields.Decimal:
    return fields.Decimal(
        places=2,
        as_string=True,
        validate=validate.Range(
            min=0, max=1_000_000, min_inclusive=False, error=f"{what}应大于 0、不超过 100 万元。"
        ),
        error_messages={"invalid": f"{what}应为数字。", "special": f"{what}应为数字。"},
        **extra,
    )


class ClaimUpdateRequest(BaseSchema):
    beneficiary = fields.String(
        validate=validate.OneOf(
            ["self", "spouse"], error="应为 self（本人）或 spouse（未就业配偶）。"
        ),
        metadata={"description": "self 本人 / spouse 男职工的未就业配偶"},
    )
    allowance_kind = fields.Enum(
        AllowanceKind,
        by_value=True,
        allow_none=True,
        error_messages={"unknown": "津贴类别应为生育津贴、计划生育津贴或护理假津贴之一。"},
        metadata={"description": "生育津贴申请：childbirth 生育津贴 / family-planning "
                  "计划生育津贴 / paternity-leave 男职工护理假津贴"},
    )  # fmt: skip
    event_date = fields.Date(allow_none=True, metadata={"description": "生育或手术（就诊）日期"})
    claimed_amount = _amount("申报金额", allow_none=True)
    pay_to = fields.String(
        allow_none=True,
        validate=validate.OneOf(
            ["person", "employer"], error="应为 person（个人）或 employer（单位）。"
        ),
        metadata={"description": "拨付到 person 个人银行账户 / employer 参保单位；不填按指南"},
    )
    bank_account_name = fields.String(allow_none=True, validate=_text(64, "户名"))
    bank_account_no = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^\d{12,32}$", error="账号应为 12 到 32 位数字。"),
        metadata={"description": "银行卡号（校验位按 Luhn）"},
    )
    bank_name = fields.String(allow_none=True, validate=_text(128, "开户行"))
    spouse_name = fields.String(allow_none=True, validate=_text(64, "配偶姓名"))
    spouse_certno = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^\d{17}[\dXx]$", error="配偶身份证号应为 18 位。"),
    )
    pledges = fields.List(
        fields.String(validate=_text(128, "承诺书名称")),
        validate=validate.Length(max=10, error="承诺书最多 10 项。"),
        metadata={"description": "已签字承诺的承诺书（按清单中的名称）"},
    )


class ClaimRequest(ClaimUpdateRequest):
    type = fields.Enum(
        ClaimType,
        by_value=True,
        required=True,
        error_messages={"unknown": "type 应为四种生育待遇之一。"},
        metadata={"description": "maternity.medical / maternity.family-planning / "
                  "maternity.assisted-reproduction / maternity.allowance"},
    )  # fmt: skip
    psn_no = fields.String(
        validate=_text(32, "参保人编号"), metadata={"description": "经办人员帮办代办时必填"}
    )


class ClaimsQuery(BaseSchema):
    psn_no = fields.String(
        validate=_text(32, "参保人编号"), metadata={"description": "经办人员查询"}
    )


class StaffClaimsQuery(ClaimsQuery):
    overdue = fields.Boolean(load_default=False, metadata={"description": "只看超过承诺时限的"})
    status = fields.String(
        validate=validate.OneOf(
            ["submitted", "accepted", "reviewed", "settled", "paid", "correction", "refused"],
            error="状态不正确。",
        )
    )


class StepRequest(BaseSchema):
    step = fields.Enum(
        Step,
        by_value=True,
        required=True,
        error_messages={"unknown": "step 应为受理、审核、结算、拨付、退回补正或不予受理之一。"},
        metadata={"description": "accept 受理 / review 审核 / settle 结算 / pay 拨付 / "
                  "request_correction 退回补正 / refuse 不予受理"},
    )  # fmt: skip
    reasons = fields.List(
        fields.String(validate=_text(200, "理由")),
        load_default=list,
        validate=validate.Length(max=20, error="理由最多 20 条。"),
        metadata={"description": "退回补正、不予受理须写明"},
    )
    settled_amount = _amount("结算金额", metadata={"description": "结算时填写"})


class ClaimPromiseResponse(BaseSchema):
    day = fields.Date(allow_none=True, metadata={"description": "承诺办结日期；补正期间暂停"})
    provisional = fields.Boolean(metadata={"description": "跨入尚未公布放假安排的年份，日期暂定"})
    paused = fields.Boolean(metadata={"description": "等待补正，时限暂停"})
    overdue = fields.Boolean()


class ClaimChecklistItemResponse(BaseSchema):
    name = fields.String()
    need = fields.String(
        metadata={"description": "upload 上传 / pledge 签字承诺 / bank_account 填写银行账户 / "
                  "employer_account 系统获取单位账户 / payee_account 按拨付对象 / shared 数据共享"}
    )  # fmt: skip
    case = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    satisfied = fields.Boolean()


class ClaimMaterialResponse(BaseSchema):
    id = fields.String()
    name = fields.String(metadata={"description": "清单中的材料名称"})
    upload_id = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    label = fields.String()
    created_at = fields.DateTime()


class ClaimEventResponse(BaseSchema):
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    actor_kind = fields.String()
    actor_id = fields.String()
    reasons = fields.List(fields.String(), allow_none=True)
    detail = fields.String(allow_none=True)
    created_at = fields.DateTime()


def _claim(name: str, field: fields.Field[Any], *, key: str | None = None) -> fields.Field[Any]:
    """A field read from the view's claim."""
    field.attribute = f"claim.{name}"
    field.data_key = key or name
    return field


class ClaimResponse(BaseSchema):
    id = _claim("id", fields.String())
    psn_no = _claim("psn_no", fields.String())
    type = _claim("type", fields.String())
    status = _claim("status", fields.String())
    status_name = fields.String()
    beneficiary = _claim("beneficiary", fields.String())
    allowance_kind = _claim("allowance_kind", fields.String(allow_none=True))
    event_date = _claim("event_date", fields.Date(allow_none=True))
    claimed_amount = _claim("claimed_amount", fields.Decimal(as_string=True, allow_none=True))
    settled_amount = _claim("settled_amount", fields.Decimal(as_string=True, allow_none=True))
    pay_to = _claim("pay_to", fields.String(allow_none=True))
    bank_account_name = _claim("bank_account_name", fields.String(allow_none=True))
    bank_account_no = fields.Function(
        lambda v: v.claim.bank_account_no and "****" + v.claim.bank_account_no[-4:],
        metadata={"description": "已打码"},
    )
    bank_name = _claim("bank_name", fields.String(allow_none=True))
    spouse_name = _claim("spouse_name", fields.String(allow_none=True))
    spouse_certno = fields.Function(
        lambda v: v.claim.spouse_certno and mask_id_numbers(v.claim.spouse_certno),
        metadata={"description": "已打码"},
    )
    pledges = _claim("pledges", fields.List(fields.String()))
    insuplc_admdvs = _claim("insuplc_admdvs", fields.String(metadata={"description": "参保地"}))
    emp_name = _claim("emp_name", fields.String(allow_none=True))
    service_name = fields.String(allow_none=True)
    source_region = fields.String(allow_none=True, metadata={"description": "答复的指南"})
    promise = fields.Nested(ClaimPromiseResponse, allow_none=True)
    checklist = fields.List(fields.Nested(ClaimChecklistItemResponse))
    missing = fields.List(fields.String(), metadata={"description": "还缺的材料（按指南名称）"})
    materials = _claim("materials", fields.List(fields.Nested(ClaimMaterialResponse)))
    history = _claim("events", fields.List(fields.Nested(ClaimEventResponse)), key="history")
    dcla_souc = _claim("dcla_souc", fields.String(metadata={"description": "办理渠道"}))
    acting_staff_id = _claim("acting_staff_id", fields.String(allow_none=True))
    created_at = _claim("created_at", fields.DateTime())
    submitted_at = _claim("submitted_at", fields.DateTime(allow_none=True))
    accepted_at = _claim("accepted_at", fields.DateTime(allow_none=True))
    closed_at = _claim("closed_at", fields.DateTime(allow_none=True))
    settlement_code = _claim(
        "settlement_code",
        fields.String(allow_none=True, metadata={"description": "结算单验证码（公开核验）"}),
    )
    settlement_pdf_url = fields.Function(
        lambda v: (
            v.claim.settlement_sha256 and f"/api/v1/maternity/claims/{v.claim.id}/settlement.pdf"
        )
    )
