"""Bot API: one question in, one answer (or a question back, or a hand-off) out."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from sqlalchemy.exc import SQLAlchemyError

from app import auth
from app.auth import Role
from app.bot import feedback
from app.bot.assistant import Assistant, Handoff
from app.bot.dialog import load_session, session_entry
from app.bot.feedback import AnswerRecord
from app.bot.lexicon import LexiconError
from app.bot.models import BotFeedback
from app.bot.render import Channel
from app.bot.schemas import (
    AskRequest,
    AskResponse,
    FeedbackRequest,
    FeedbackResponse,
    ReloadResponse,
    UnansweredQuery,
    UnansweredResponse,
    ask_body,
)
from app.db import request_session
from app.errors import DomainError, Kind
from app.extensions import Blueprint
from app.guides import lookup
from app.guides.loader import KnowledgeBaseError
from app.id_numbers import mask_personal_numbers
from app.reload import ReloadResult, announce_reload, reload_knowledge
from app.store import StoreUnavailable
from app.working_days import CHINA_TIME

blp = Blueprint("bot", __name__, url_prefix="/api/v1/bot", description="问答机器人 (guide bot)")
log = logging.getLogger(__name__)


class UnknownRegionParameter(DomainError):
    kind, code = Kind.INVALID, "bot_region_invalid"
    message = "region 不是已知的地区，请填地区代码（如 530400）或名称（如 玉溪），或不填。"


def current_assistant() -> Assistant:
    return current_app.extensions["assistant"].current  # type: ignore[no-any-return]


@blp.route("/ask")
class Ask(MethodView):
    @blp.arguments(AskRequest())
    @blp.response(200, AskResponse)
    @auth.public
    def post(self, payload: dict[str, Any]) -> Response:
        """提问：返回答案、反问选项或转人工，附出处。"""
        assistant = current_assistant()
        channel: Channel = payload["channel"]
        region = payload.get("region")
        if region is not None:
            try:
                region = lookup.resolve_region(assistant.kb, region)
            except lookup.UnknownRegion as error:
                raise UnknownRegionParameter(suggestions=error.suggestions) from None
        store = current_app.extensions["store"]
        session = load_session(store, channel.value, payload.get("session_id"))
        today = datetime.now(CHINA_TIME).date()
        reply = assistant.ask(payload["text"], session, region=region, channel=channel, today=today)
        service = reply.service.id if reply.service else None
        answer = AnswerRecord(payload["text"], service, reply.region, channel.value)
        try:
            # The session for the next turn, and the answer for feedback on it: one round trip.
            store.set_many(
                [
                    session_entry(channel.value, session),
                    feedback.answer_entry(reply.answer_id, answer),
                ]
            )
        except StoreUnavailable:
            log.warning("bot session store unavailable; this turn is not remembered")
        if reply.handoff is not None:
            # A declined offer logs the question it was made for, not the "不是".
            asked = reply.handoff.question or payload["text"]
            _log_miss(assistant, asked, reply.handoff, reply.region, channel)
        # Built directly, not dumped through AskResponse (see ask_body).
        body = json.dumps(ask_body(reply), ensure_ascii=False, separators=(",", ":"))
        return Response(body, mimetype="application/json")


def _log_miss(
    assistant: Assistant, text: str, handoff: Handoff, region: str | None, channel: Channel
) -> None:
    """A hand-off is a question the guides do not answer: curators find it in the table."""
    try:
        feedback.record_miss(
            request_session(),
            question=text,
            normalized=assistant.normalize(text),
            reason=handoff.reason,
            region=region,
            channel=channel.value,
            now=datetime.now(UTC),
        )
    except SQLAlchemyError:
        # The citizen still gets the hand-off and its phone number; curators find the question in
        # the log instead of the table.
        log.exception("bot miss not stored (%s): %s", handoff.reason, mask_personal_numbers(text))


@blp.route("/feedback")
class Feedback(MethodView):
    @blp.arguments(FeedbackRequest())
    @blp.response(200, FeedbackResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.public
    def post(self, payload: dict[str, Any]) -> BotFeedback:
        """评价一条回答（有帮助 / 没帮助）；重复提交只更新同一条评价。"""
        return feedback.record_feedback(
            request_session(),
            current_app.extensions["store"],
            answer_id=payload["answer_id"],
            helpful=payload["helpful"],
            comment=payload.get("comment"),
            now=datetime.now(UTC),
        )


class KnowledgeBaseRejected(DomainError):
    kind, code = Kind.INVALID, "knowledge_base_rejected"
    message = "知识库有错误，未重新加载，仍使用原来的版本。请先运行 kb check 修正。"


@blp.route("/unanswered")
class UnansweredQuestions(MethodView):
    @blp.arguments(UnansweredQuery(), location="query", as_kwargs=True)
    @blp.response(200, UnansweredResponse(many=True))
    @auth.staff_required(Role.REVIEWER)
    def get(self, limit: int, days: int) -> list[feedback.Unanswered]:
        """机器人答不上的问题，按次数排序（供知识库维护人员补充）。"""
        since = datetime.now(UTC) - timedelta(days=days)
        return feedback.top_unanswered(request_session(), limit=limit, since=since)


@blp.route("/reload")
class Reload(MethodView):
    @blp.response(200, ReloadResponse)
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.staff_required(Role.REVIEWER)
    def post(self) -> ReloadResult:
        """重新加载知识库（校验通过才替换），并通知其他进程。"""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        try:
            result = reload_knowledge(app)
        except (KnowledgeBaseError, LexiconError) as error:
            shown = {str(p.where): [p.message] for p in error.problems[:20]}
            raise KnowledgeBaseRejected(errors=shown) from error
        announce_reload(current_app.extensions["store"])
        return result
