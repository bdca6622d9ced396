"""Request and response schemas of login and accounts."""

from __future__ import annotations

from marshmallow import fields, validate

from app.schemas import BaseSchema


class StaffLoginRequest(BaseSchema):
    username = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64, error="用户名应在 1 到 64 个字符之间。"),
    )
    password = fields.String(
        required=True,
        validate=validate.Length(min=1, max=256, error="密码应在 1 到 256 个字符之间。"),
    )


class StaffResponse(BaseSchema):
    username = fields.String()
    role = fields.String()
    display_name = fields.String()


class LoginResponse(BaseSchema):
    token = fields.String(metadata={"description": "以 Authorization: Bearer <token> 发送"})
    expires_in = fields.Integer(metadata={"description": "秒"})
    staff = fields.Nested(StaffResponse, allow_none=True)


class PrincipalResponse(BaseSchema):
    kind = fields.String()
    id = fields.String()
    role = fields.String(allow_none=True)


class CitizenLoginRequest(BaseSchema):
    channel = fields.String(
        required=True,
        validate=validate.OneOf(
            ["wechat", "alipay", "dev"], error="channel 只能是 wechat、alipay 或 dev。"
        ),
    )
    code = fields.String(
        validate=validate.Length(min=1, max=128, error="登录凭证长度不对。"),
        metadata={"description": "wx.login() / my.getAuthCode 得到的 code"},
    )
    openid = fields.String(
        validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,64}$", error="openid 格式不对。"),
        metadata={"description": "仅 dev 渠道（开发环境）"},
    )


class CitizenLoginResponse(BaseSchema):
    token = fields.String()
    expires_in = fields.Integer()
    bound = fields.Boolean(metadata={"description": "是否已实名认证"})


class BindRequest(BaseSchema):
    psn_name = fields.String(
        required=True, validate=validate.Length(min=1, max=64, error="姓名应在 1 到 64 个字之间。")
    )
    certno = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^\s*\d{17}[\dXx]\s*$", error="身份证号应为 18 位，末位可能是 X。"
        ),
    )


class BindResponse(BaseSchema):
    psn_no = fields.String()
    psn_name = fields.String()
    certno = fields.String(metadata={"description": "已打码"})
