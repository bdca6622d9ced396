"""Request and response schemas of certificates."""

from __future__ import annotations

from marshmallow import fields, validate

from app.schemas import BaseSchema


class IssueRequest(BaseSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            ["cert.proof", "cert.voucher"],
            error="kind 应为 cert.proof（参保证明）或 cert.voucher（参保凭证）。",
        ),
    )
    psn_no = fields.String(
        validate=validate.Length(min=1, max=32, error="参保人编号长度不对。"),
        metadata={"description": "经办人员帮办代办时必填"},
    )


class CertificateResponse(BaseSchema):
    id = fields.String()
    kind = fields.String()
    code = fields.String(metadata={"description": "验证码（印在证明上）"})
    issued_at = fields.DateTime()
    pdf_url = fields.Function(lambda c: f"/api/v1/certificates/{c.id}.pdf")


class VerificationResponse(BaseSchema):
    kind = fields.String()
    title = fields.String()
    valid = fields.Boolean(metadata={"description": "证明是否仍然有效"})
    issued_at = fields.DateTime()
    facts = fields.Dict(metadata={"description": "证明上印的内容（证件号已打码）"})
