"""The clock requests read: UTC now, replaceable per app (a test sets app.extensions["clock"])."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app


def utc_now() -> datetime:
    """Now, timezone-aware UTC, from the app's clock if it has one, else the system's."""
    clock: Callable[[], datetime] | None = current_app.extensions.get("clock")
    return clock() if clock is not None else datetime.now(UTC)
