"""Reloading the knowledge base while requests are served, in every worker.

A reload loads and validates the base and lexicon aside, builds the bot over them, then swaps the
references; a request sees the old base or the new one, never half of each. It bumps a generation
counter in the shared store; every worker compares it at most every few seconds and reloads in
the background when it moved. A broken base is refused and the old one keeps serving.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app

from app.guides.loader import load_knowledge_base
from app.store import KeyValueStore, StoreUnavailable

log = logging.getLogger(__name__)
GENERATION_KEY = "kb:generation"
CHECK_EVERY_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class ReloadResult:
    version: str
    services: int
    seconds: float


def reload_knowledge(app: Flask) -> ReloadResult:
    """Load, validate and swap in this process. Raises KnowledgeBaseError or LexiconError."""
    start = time.perf_counter()
    live_kb = app.extensions["knowledge_base"]
    kb = load_knowledge_base(live_kb.knowledge_dir, cache_dir=live_kb.cache_dir)
    app.extensions["assistant"].rebuild(kb)  # builds aside; raises before any swap
    live_kb.current = kb
    if gc.get_freeze_count():
        # A serving process freezes its start-up objects (create_serving_app): the new base is
        # frozen like the first, and whatever of the old one is garbage is collected first.
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    return ReloadResult(kb.version, len(kb.guides), time.perf_counter() - start)


def announce_reload(store: KeyValueStore) -> int | None:
    """Tell the other workers to reload; None when the store cannot be reached."""
    try:
        return store.incr(GENERATION_KEY)
    except StoreUnavailable:
        log.warning("could not announce the reload; other workers keep their base")
        return None


class ReloadFollower:
    """Per process: notices a new generation and reloads in a background thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.seen: str | None = None
        self.seen = self._generation()
        self.checked = time.monotonic()
        self.lock = threading.Lock()

    def _generation(self) -> str | None:
        try:
            value: str | None = self.app.extensions["store"].get(GENERATION_KEY)
        except StoreUnavailable:
            return self.seen  # no news is no reload
        return value

    def check(self) -> None:
        now = time.monotonic()
        if now - self.checked < CHECK_EVERY_SECONDS or not self.lock.acquire(blocking=False):
            return
        self.checked = now
        generation = self._generation()
        if generation == self.seen:
            self.lock.release()
            return
        self.seen = generation
        threading.Thread(target=self._reload, daemon=True).start()

    def _reload(self) -> None:
        try:
            result = reload_knowledge(self.app)
            log.info("knowledge base reloaded: %s", result.version)
        except Exception:
            log.exception("knowledge base reload failed; the old base keeps serving")
        finally:
            self.lock.release()


def init_app(app: Flask) -> None:
    follower = ReloadFollower(app)
    app.extensions["reload_follower"] = follower
    app.before_request(lambda: current_app.extensions["reload_follower"].check())
