"""What curators learn from the bot: unanswered questions (most frequent first) and feedback."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.bot.models import BotFeedback, BotMiss
from app.errors import DomainError, Kind
from app.id_numbers import mask_personal_numbers
from app.store import Entry, KeyValueStore, StoreUnavailable

ANSWER_TTL_SECONDS = 7 * 24 * 3600  # feedback is accepted for a week after the answer


class AnswerNotFound(DomainError):
    kind, code = Kind.NOT_FOUND, "bot_answer_not_found"
    message = "找不到这条回答（可能已超过一周），无法评价。"


class FeedbackUnavailable(DomainError):
    kind, code = Kind.UNAVAILABLE, "bot_feedback_unavailable"
    message = "暂时无法记录评价，请稍后再试。"


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """What an answer was about, kept briefly so feedback on it can name it."""

    question: str
    service_id: str | None
    region: str | None
    channel: str


@dataclass(frozen=True, slots=True)
class Unanswered:
    normalized: str
    count: int
    example: str
    last_asked: datetime


def answer_key(answer_id: str) -> str:
    return f"bot:answer:{answer_id}"


def answer_entry(answer_id: str, record: AnswerRecord) -> Entry:
    """What the answer was about, as the store keeps it (key, JSON, TTL), the question masked;
    kept so that feedback on it can name it (feedback is refused once it is gone)."""
    kept = {
        "question": mask_personal_numbers(record.question),
        "service_id": record.service_id,
        "region": record.region,
        "channel": record.channel,
    }
    return answer_key(answer_id), json.dumps(kept, ensure_ascii=False), ANSWER_TTL_SECONDS


def record_miss(
    session: Session,
    *,
    question: str,
    normalized: str,
    reason: str,
    region: str | None,
    channel: str,
    now: datetime,
) -> None:
    """Log a question the bot could not answer, with personal numbers masked."""
    row = {
        "question": mask_personal_numbers(question)[:500],
        "normalized": mask_personal_numbers(normalized)[:500],
        "reason": reason,
        "region": region,
        "channel": channel,
        "created_at": now,
    }
    # An insert, not an ORM object: nothing reads the row back, and the unit of work would cost
    # more than the write itself.
    with session.begin():
        session.execute(sa.insert(BotMiss), [row])


def record_feedback(
    session: Session,
    store: KeyValueStore,
    *,
    answer_id: str,
    helpful: bool,
    comment: str | None,
    now: datetime,
) -> BotFeedback:
    """One feedback row per answer: a retry or a change of mind updates it."""
    try:
        raw = store.get(answer_key(answer_id))
    except StoreUnavailable as error:
        raise FeedbackUnavailable from error
    if raw is None:
        raise AnswerNotFound
    answer = AnswerRecord(**json.loads(raw))
    with session.begin():
        row = session.scalar(sa.select(BotFeedback).where(BotFeedback.answer_id == answer_id))
        if row is None:
            row = BotFeedback(answer_id=answer_id, created_at=now, **asdict(answer))
            session.add(row)
        row.helpful = helpful
        row.comment = mask_personal_numbers(comment)[:500] if comment else None
    return row


def top_unanswered(
    session: Session, *, limit: int, since: datetime | None = None
) -> list[Unanswered]:
    """The most frequent unanswered questions (by normalised text), most frequent first."""
    query = (
        sa.select(
            BotMiss.normalized,
            sa.func.count().label("count"),
            sa.func.min(BotMiss.question).label("example"),
            sa.func.max(BotMiss.created_at).label("last_asked"),
        )
        .group_by(BotMiss.normalized)
        .order_by(sa.desc("count"), sa.desc("last_asked"))
        .limit(limit)
    )
    if since is not None:
        query = query.where(BotMiss.created_at >= since)
    with session.begin():
        return [Unanswered(*row) for row in session.execute(query)]
