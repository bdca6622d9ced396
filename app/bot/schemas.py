"""Request and response schemas of the bot API."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from app.bot.assistant import Reply
from app.bot.render import Channel
from app.schemas import BaseSchema


class AskRequest(BaseSchema):
    text = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500, error="问题应在 1 到 500 个字之间。"),
        metadata={"description": "问题原文（打字或语音转写）"},
    )
    session_id = fields.String(
        validate=validate.Regexp(
            r"^[A-Za-z0-9_-]{8,64}$", error="会话编号应为 8 到 64 位字母、数字、- 或 _。"
        ),
        metadata={"description": "多轮对话的会话编号；不填则新开一个"},
    )
    region = fields.String(
        validate=validate.Length(min=1, max=32, error="地区应在 1 到 32 个字之间。"),
        metadata={"description": "用户所在/参保地区的代码或名称，问题中说到的地区优先"},
    )
    channel = fields.Enum(
        Channel,
        by_value=True,
        load_default=Channel.MINIPROGRAM,
        error_messages={"unknown": "只能是 miniprogram、hotline 或 counter。"},
    )


class OptionResponse(BaseSchema):
    id = fields.String()
    label = fields.String()


class ClarifyResponse(BaseSchema):
    question = fields.String()
    options = fields.List(fields.Nested(OptionResponse))


class HandoffResponse(BaseSchema):
    reason = fields.String(
        metadata={
            "description": "out_of_scope / small_talk / not_covered / no_answer / declined"
            " (none of the options offered was meant)"
        }
    )
    phone = fields.String()


class SourceResponse(BaseSchema):
    region = fields.String()
    seed = fields.String()
    lines = fields.List(fields.Integer())


class ChecklistItemResponse(BaseSchema):
    name = fields.String()
    case = fields.String(allow_none=True)
    required = fields.Boolean()
    channel = fields.String()


class AskResponse(BaseSchema):
    session_id = fields.String()
    answer_id = fields.String(metadata={"description": "评价这条回答时用"})
    service = fields.Nested(OptionResponse, allow_none=True)
    region = fields.String(allow_none=True)
    aspect = fields.String(allow_none=True)
    answer_text = fields.String()
    clarify = fields.Nested(ClarifyResponse, allow_none=True)
    handoff = fields.Nested(HandoffResponse, allow_none=True)
    confidence = fields.Float()
    sources = fields.List(fields.Nested(SourceResponse))
    checklist = fields.List(
        fields.Nested(ChecklistItemResponse), metadata={"description": "小程序：材料清单"}
    )
    quick_replies = fields.List(fields.String(), metadata={"description": "小程序：快捷追问"})


def ask_body(reply: Reply) -> dict[str, Any]:
    """The reply as AskResponse dumps it, built directly: marshmallow walks each field's
    machinery per value, a tenth of a millisecond on every question, on the busiest endpoint.
    AskResponse stays what the API documents; tests hold the two equal on every channel."""
    service, clarify, handoff = reply.service, reply.clarify, reply.handoff
    return {
        "session_id": reply.session_id,
        "answer_id": reply.answer_id,
        "service": None if service is None else {"id": service.id, "label": service.label},
        "region": reply.region,
        "aspect": reply.aspect,
        "answer_text": reply.answer_text,
        "clarify": None
        if clarify is None
        else {
            "question": clarify.question,
            "options": [{"id": o.id, "label": o.label} for o in clarify.options],
        },
        "handoff": None if handoff is None else {"reason": handoff.reason, "phone": handoff.phone},
        "confidence": float(reply.confidence),
        "sources": [
            {"region": s.region, "seed": s.seed, "lines": list(s.lines)} for s in reply.sources
        ],
        "checklist": [dict(item) for item in reply.checklist],
        "quick_replies": list(reply.quick_replies),
    }


class FeedbackRequest(BaseSchema):
    answer_id = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{32}$", error="回答编号格式不对。"),
    )
    helpful = fields.Boolean(required=True, metadata={"description": "这条回答有没有帮助"})
    comment = fields.String(
        validate=validate.Length(max=500, error="意见不超过 500 个字。"), allow_none=True
    )


class FeedbackResponse(BaseSchema):
    answer_id = fields.String()
    helpful = fields.Boolean()


class UnansweredQuery(BaseSchema):
    limit = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=200, error="limit 应在 1 到 200 之间。")
    )
    days = fields.Integer(
        load_default=30, validate=validate.Range(min=1, max=366, error="days 应在 1 到 366 之间。")
    )


class UnansweredResponse(BaseSchema):
    normalized = fields.String(metadata={"description": "归一化后的问题"})
    count = fields.Integer()
    example = fields.String(metadata={"description": "一条原话（个人号码已打码）"})
    last_asked = fields.DateTime()


class ReloadResponse(BaseSchema):
    version = fields.String()
    services = fields.Integer(metadata={"description": "（地区，事项）指南条数"})
    seconds = fields.Float()
