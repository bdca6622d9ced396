"""Upload responses."""

from __future__ import annotations

from marshmallow import fields

from app.schemas import BaseSchema


class UploadResponse(BaseSchema):
    id = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    label = fields.String(metadata={"description": "整理后的文件名"})
    sha256 = fields.String()
