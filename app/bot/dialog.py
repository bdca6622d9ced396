"""Dialog state: what a conversation has settled (service, region, aspect, offered options).

Kept in the ephemeral store under a key per channel and session, with a TTL. Sessions fail open:
when the store is down the bot still answers, statelessly, and logs it.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass, field, fields

from app.store import Entry, KeyValueStore, StoreUnavailable

log = logging.getLogger(__name__)
SESSION_TTL = 30 * 60  # seconds
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(slots=True)
class Session:
    """What earlier turns settled; each turn reads it and writes it back."""

    id: str
    service: str | None = None
    region: str | None = None
    county: str | None = None
    aspects: list[str] = field(default_factory=list)
    variant: str | None = None
    options: list[str] = field(default_factory=list)  # services offered when the bot asked back
    offered_for: str = ""  # the question they were offered for, normalised


# What a session keeps, read once: dataclasses.asdict copies deeply, field by field, every turn.
_SETTLED = tuple(f.name for f in fields(Session) if f.name != "id")


def session_key(channel: str, session_id: str) -> str:
    return f"bot:session:{channel}:{session_id}"


def new_session_id() -> str:
    return uuid.uuid4().hex


def load_session(store: KeyValueStore, channel: str, session_id: str | None) -> Session:
    """The session under that id, or a new one (also when the store cannot be reached)."""
    if session_id is None:
        return Session(new_session_id())
    try:
        raw = store.get(session_key(channel, session_id))
    except StoreUnavailable:
        log.warning("bot session store unavailable; answering without context")
        return Session(session_id)
    if raw is None:
        return Session(session_id)
    try:
        return Session(**{**json.loads(raw), "id": session_id})
    except (TypeError, ValueError):
        log.warning("unreadable bot session %s; starting afresh", session_id)
        return Session(session_id)


def session_entry(channel: str, session: Session) -> Entry:
    """The session as the store keeps it: (key, JSON of what it settled, TTL)."""
    settled = {name: getattr(session, name) for name in _SETTLED}
    return session_key(channel, session.id), json.dumps(settled, ensure_ascii=False), SESSION_TTL
