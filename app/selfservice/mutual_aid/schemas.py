"""Request and response schemas of 个人账户共济."""

from __future__ import annotations

from marshmallow import fields, validate

from app.schemas import BaseSchema, StrictBoolean


class AuthoriseRequest(BaseSchema):
    user_name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64, error="被授权人姓名应在 1 到 64 个字之间。"),
    )
    user_certno = fields.String(
        required=True,
        validate=validate.Regexp(r"^\s*\d{17}[\dXx]\s*$", error="被授权人身份证号应为 18 位。"),
    )
    pledge = StrictBoolean(required=True, metadata={"description": "已阅读并同意共济承诺书"})
    psn_no = fields.String(
        validate=validate.Length(min=1, max=32, error="参保人编号长度不对。"),
        metadata={"description": "经办人员帮办代办时：授权人的参保人编号"},
    )


class BindingsQuery(BaseSchema):
    psn_no = fields.String(validate=validate.Length(min=1, max=32, error="参保人编号长度不对。"))


class BindingResponse(BaseSchema):
    id = fields.String()
    authoriser_psn_no = fields.String()
    user_psn_no = fields.String()
    relation = fields.String(metadata={"description": "被授权人是授权人的……"})
    status = fields.String(metadata={"description": "active / unbound"})
    channel = fields.String()
    acting_staff_id = fields.String(allow_none=True)
    created_at = fields.DateTime()
    unbound_at = fields.DateTime(allow_none=True)


class BindingsResponse(BaseSchema):
    as_authoriser = fields.List(fields.Nested(BindingResponse))
    as_user = fields.List(fields.Nested(BindingResponse))
