"""The base schema all request and response schemas derive from; Chinese validation messages."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

# marshmallow's defaults are English; citizens read these. Field types merge these by MRO.
_CHINESE_MESSAGES: dict[type[fields.Field[Any]], dict[str, str]] = {
    fields.Field: {
        "required": "必须填写。",
        "null": "不能为空。",
        "validator_failed": "取值不正确。",
    },
    fields.String: {"invalid": "应为文本。", "invalid_utf8": "含有无法识别的字符。"},
    fields.Integer: {"invalid": "应为整数。"},
    fields.Number: {"invalid": "应为数字。", "too_large": "数值过大。"},
    fields.Boolean: {"invalid": "应为 true 或 false。"},
    fields.Date: {"invalid": "日期格式应为 YYYY-MM-DD。"},
    fields.DateTime: {"invalid": "时间格式不正确。"},
    fields.List: {"invalid": "应为列表。"},
    fields.Dict: {"invalid": "应为对象。"},
    fields.Nested: {"type": "应为对象。"},
}
for _field_type, _messages in _CHINESE_MESSAGES.items():
    _field_type.default_error_messages = {**_field_type.default_error_messages, **_messages}


class BaseSchema(ma.Schema):
    """Unknown fields are refused (nested schemas honour only Meta, so it is set here once)."""

    class Meta:
        unknown = ma.RAISE

    error_messages = {  # noqa: RUF012 (marshmallow reads it as a class attribute)
        "unknown": "不认识的字段，请删除。",
        "type": "应为 JSON 对象。",
    }


class StrictBoolean(fields.Boolean):
    """A JSON true or false only: "yes", 1 or "true" do not tick a pledge."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value
