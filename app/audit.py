"""The audit log: every write by anyone, with who did it, for whom, through which channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_kind: Mapped[str] = mapped_column(sa.String(16))  # citizen | staff | system
    actor_id: Mapped[str] = mapped_column(sa.String(64))
    on_behalf_of: Mapped[str | None] = mapped_column(sa.String(32))  # psn_no (帮办代办)
    action: Mapped[str] = mapped_column(sa.String(64))
    record_type: Mapped[str | None] = mapped_column(sa.String(64))
    record_id: Mapped[str | None] = mapped_column(sa.String(64))
    channel: Mapped[str] = mapped_column(sa.String(16))
    request_id: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts (a citizen, a clerk, the system), through which channel, in which request."""

    kind: str  # citizen | staff | system
    id: str
    channel: str
    request_id: str


def record_audit(
    session: Session,
    actor: Actor,
    *,
    action: str,
    now: datetime,
    on_behalf_of: str | None = None,
    record_type: str | None = None,
    record_id: str | None = None,
) -> None:
    """Add an entry to the caller's transaction: it commits or rolls back with the write."""
    session.add(
        AuditEntry(
            actor_kind=actor.kind,
            actor_id=actor.id,
            on_behalf_of=on_behalf_of,
            action=action,
            record_type=record_type,
            record_id=record_id,
            channel=actor.channel,
            request_id=actor.request_id,
            created_at=now,
        )
    )
