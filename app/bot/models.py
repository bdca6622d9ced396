"""What the bot keeps for curators: questions it could not answer, and citizens' feedback."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class BotMiss(Base):
    """A question handed off or left unresolved; ID numbers and mobiles are masked before saving."""

    __tablename__ = "bot_misses"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(sa.String(500))
    normalized: Mapped[str] = mapped_column(sa.String(500), index=True)
    reason: Mapped[str] = mapped_column(sa.String(32))
    region: Mapped[str | None] = mapped_column(sa.String(6))
    channel: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class BotFeedback(Base):
    """Helpful or not, once per answer (a retry or a change of mind updates the same row)."""

    __tablename__ = "bot_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    helpful: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(sa.String(500))
    question: Mapped[str] = mapped_column(sa.String(500))
    service_id: Mapped[str | None] = mapped_column(sa.String(64))
    region: Mapped[str | None] = mapped_column(sa.String(6))
    channel: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
