"""The real app plus a bare Flask JSON endpoint, so both are measured on the same server:
`gunicorn 'bench.bench_app:create()'`."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from flask import Flask, jsonify

from app import create_serving_app
from app.bot.assistant import Assistant, Reply
from app.bot.dialog import Session, new_session_id
from app.bot.render import Channel


def bare() -> object:
    """The baseline: Flask's own JSON response, no framework work of ours."""
    return jsonify({"ok": True, "service": "remote.retiree", "region": "532300"})


class FixedAnswer:
    """The bot reduced to one answer, made once by the real one, given to every question: what
    /bot/ask costs around the answer (validation, the session, the records, JSON)."""

    def __init__(self, assistant: Assistant, question: str) -> None:
        self.kb, self.normalize = assistant.kb, assistant.normalize
        self._replies = {
            channel: assistant.ask(
                question, Session(new_session_id()), region=None, channel=channel
            )
            for channel in Channel
        }

    def ask(
        self,
        text: str,
        session: Session,
        *,
        region: str | None,
        channel: Channel,
        today: date | None = None,
    ) -> Reply:
        return replace(self._replies[channel], session_id=session.id, answer_id=uuid.uuid4().hex)


def create(fixed_answer: str | None = None) -> Flask:
    """The app with /bench/bare; with fixed_answer, the bot answers every question as it answers
    that one."""
    # One loopback address sends all the load: limits high enough never to trip, so the
    # limiter's own cost is still measured.
    app = create_serving_app(
        {
            "RATE_LIMIT_PER_CALLER": "100000000 per minute",
            "RATE_LIMIT_PER_ADDRESS": "100000000 per minute",
        }
    )
    app.add_url_rule("/bench/bare", view_func=bare)
    if fixed_answer is not None:
        live = app.extensions["assistant"]
        live.current = FixedAnswer(live.current, fixed_answer)
    return app
