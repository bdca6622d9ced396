"""Curators' side of the bot: hand-offs are logged (masked), feedback is one row per answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.bot import feedback
from app.bot.models import BotFeedback
from app.db import Database
from tests.conftest import assert_error_shape


def _ask(app: Flask, text: str) -> dict[str, object]:
    response = app.test_client().post("/api/v1/bot/ask", json={"text": text})
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def test_hand_offs_are_logged_with_personal_numbers_masked(db_app: Flask) -> None:
    _ask(db_app, "明天下雨吗 我的手机13800001234")
    _ask(db_app, "明天下雨吗 我的手机13800001234")
    _ask(db_app, "退休异地安置要带什么")  # answered: not a miss
    with db_app.extensions["db"].session() as session:
        top = feedback.top_unanswered(session, limit=5)
    assert top[0].count == 2
    assert "13800001234" not in top[0].example
    assert "138****1234" in top[0].example


def test_feedback_is_one_row_per_answer(db_app: Flask) -> None:
    answer = _ask(db_app, "退休异地安置要带什么")
    client = db_app.test_client()
    body = {"answer_id": answer["answer_id"], "helpful": False, "comment": "没说清楚"}
    assert client.post("/api/v1/bot/feedback", json=body).status_code == 200
    again = client.post("/api/v1/bot/feedback", json={**body, "helpful": True})
    assert again.get_json() == {"answer_id": answer["answer_id"], "helpful": True}
    with db_app.extensions["db"].session() as session:
        rows = session.query(BotFeedback).filter_by(answer_id=answer["answer_id"]).all()
    assert len(rows) == 1
    assert rows[0].service_id == "remote.retiree"


def test_feedback_on_an_unknown_answer_is_404(db_app: Flask) -> None:
    response = db_app.test_client().post(
        "/api/v1/bot/feedback", json={"answer_id": "0" * 32, "helpful": True}
    )
    assert response.status_code == 404
    assert_error_shape(response.get_json())


def test_top_unanswered_orders_by_frequency(database: Database) -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    with database.session() as session:
        for text in ["公积金", "养老金", "公积金"]:
            feedback.record_miss(
                session,
                question=text,
                normalized=text,
                reason="out_of_scope",
                region=None,
                channel="hotline",
                now=now,
            )
        top = feedback.top_unanswered(session, limit=5)
    assert [(u.normalized, u.count) for u in top][:2] == [("公积金", 2), ("养老金", 1)]


def test_feedback_record_keeps_the_question_masked() -> None:
    record = feedback.AnswerRecord("身份证110101200001011234", None, None, "counter")
    key, kept, _ = feedback.answer_entry("a" * 32, record)
    assert key == feedback.answer_key("a" * 32)
    assert "110101200001011234" not in kept
    assert feedback.AnswerRecord(**json.loads(kept)).question == "身份证110101********1234"


def test_a_hand_off_is_still_answered_when_the_miss_log_is_down(
    fixture_knowledge: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1: every database call fails at once.
    down = create_app(
        {
            "KNOWLEDGE_DIR": str(fixture_knowledge),
            "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none",
            "RATE_LIMITS_ENABLED": False,
        }
    )
    reply = _ask(down, "明天下雨吗 我的手机13800001234")
    assert reply["handoff"] is not None
    assert reply["handoff"]["phone"]
    (logged,) = [r.getMessage() for r in caplog.records if "bot miss not stored" in r.getMessage()]
    assert "13800001234" not in logged
    assert "138****1234" in logged
