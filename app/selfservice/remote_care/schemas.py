"""Request and response schemas of 异地就医备案 (provincial 异地申请 field names)."""

from __future__ import annotations

from marshmallow import fields, validate

from app.schemas import BaseSchema, StrictBoolean
from app.selfservice.registry.service import InsuType

KINDS = ["remote.retiree", "remote.long-stay", "remote.work", "remote.referral", "remote.temporary"]


def _text(limit: int, what: str) -> validate.Length:
    return validate.Length(min=1, max=limit, error=f"{what}应在 1 到 {limit} 个字之间。")


_PHONE = validate.Regexp(r"^[0-9+\-() ]{5,20}$", error="电话号码格式不对。")


class FilingChangeRequest(BaseSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(KINDS, error="备案类型应为五种异地就医备案之一。"),
        metadata={
            "description": "remote.retiree 安置 / remote.long-stay 长期居住 / remote.work "
            "常驻工作 / remote.referral 转诊 / remote.temporary 急诊及临时外出"
        },
    )
    insutype = fields.Enum(
        InsuType,
        by_value=True,
        required=True,
        error_messages={"unknown": "险种应为 310（职工医保）或 390（居民医保）。"},
    )
    rloc_admdvs = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{6}$", error="就医地应为 6 位行政区划代码。"),
        metadata={"description": "就医地（市或县）行政区划代码"},
    )
    resout_addr = fields.String(required=True, validate=_text(200, "就医地联系地址"))
    tel = fields.String(required=True, validate=_PHONE, metadata={"description": "联系电话"})
    begndate = fields.Date(required=True, metadata={"description": "开始日期"})
    enddate = fields.Date(allow_none=True, metadata={"description": "结束日期；长期备案不填"})
    rloc_rea = fields.String(allow_none=True, validate=_text(200, "备案原因"))
    filed_by = fields.String(
        load_default="self",
        validate=validate.OneOf(["self", "agent"], error="应为 self（本人）或 agent（他人代办）。"),
    )
    agnter_name = fields.String(allow_none=True, validate=_text(64, "代办人姓名"))
    agnter_certno = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^\d{17}[\dXx]$", error="代办人身份证号应为 18 位。"),
    )
    agnter_tel = fields.String(allow_none=True, validate=_PHONE)
    agnter_rlts = fields.String(allow_none=True, validate=_text(16, "与参保人关系"))
    pledge = StrictBoolean(required=True, metadata={"description": "个人承诺：所填属实"})
    referral_hospital = fields.String(
        allow_none=True, validate=_text(128, "转出医院"), metadata={"description": "转诊备案必填"}
    )
    referral_certificate = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^[0-9a-f]{32}$", error="转诊证明应为已上传材料的编号。"),
        metadata={"description": "转诊备案必填：转出医院开具的转诊证明（先上传，填上传编号）"},
    )


class FilingRequest(FilingChangeRequest):
    psn_no = fields.String(
        validate=_text(32, "参保人编号"), metadata={"description": "经办人员帮办代办时必填"}
    )


class FilingQuery(BaseSchema):
    psn_no = fields.String(
        validate=_text(32, "参保人编号"), metadata={"description": "经办人员查询"}
    )


class FilingResponse(BaseSchema):
    id = fields.String()
    psn_no = fields.String()
    kind = fields.String()
    dcla_type = fields.String(metadata={"description": "new 新增 / change 变更"})
    status = fields.String(metadata={"description": "active / cancelled / superseded"})
    insutype = fields.String()
    insu_admdvs = fields.String(metadata={"description": "参保地"})
    rloc_admdvs = fields.String(metadata={"description": "就医地"})
    resout_addr = fields.String()
    tel = fields.String()
    begndate = fields.Date()
    enddate = fields.Date(allow_none=True)
    rloc_rea = fields.String(allow_none=True)
    filed_by = fields.String()
    agnter_name = fields.String(allow_none=True)
    agnter_certno = fields.Function(
        lambda f: f.agnter_certno and f.agnter_certno[:6] + "********" + f.agnter_certno[-4:],
        metadata={"description": "已打码"},
    )
    agnter_tel = fields.String(allow_none=True)
    agnter_rlts = fields.String(allow_none=True)
    pledge = fields.Boolean()
    referral_hospital = fields.String(allow_none=True)
    referral_certificate = fields.String(allow_none=True)
    dcla_souc = fields.String(metadata={"description": "办理渠道"})
    acting_staff_id = fields.String(allow_none=True, metadata={"description": "帮办代办的经办人"})
    changed_from = fields.String(allow_none=True)
    created_at = fields.DateTime()
    cancelled_at = fields.DateTime(allow_none=True)
