"""云南医保 全省通办 backend: the application factory."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from app import bot, db, errors, guides, logging, ratelimit, reload
from app.config import Config
from app.extensions import init_extensions
from app.guides.loader import LiveKnowledgeBase
from app.selfservice import (
    certificates,
    identity,
    maternity,
    mutual_aid,
    registry,
    remote_care,
    uploads,
)
from app.store import make_store


def create_app(overrides: Mapping[str, object] | None = None) -> Flask:
    """Build the app from the environment's config, with overrides (tests) on top."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(Config.from_env().as_flask_config())
    app.config.update(overrides or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    # An empty path segment is the caller's mistake: a 404 in our shape, not an HTML redirect.
    app.url_map.merge_slashes = False
    logging.register(app)
    errors.register(app)
    app.extensions["knowledge_base"] = LiveKnowledgeBase(
        Path(app.config["KNOWLEDGE_DIR"]), cache_dir=Path(app.instance_path) / "kb-cache"
    )
    app.extensions["store"] = make_store(app.config["REDIS_URL"])
    db.init_app(app)
    identity.init_app(app)
    registry.init_app(app)
    reload.init_app(app)
    ratelimit.init_app(app)
    bot.init_app(app)
    api = init_extensions(app)
    for context in (
        guides,
        bot,
        identity,
        remote_care,
        mutual_aid,
        uploads,
        certificates,
        maternity,
    ):
        context.register(api)
    return app


def create_serving_app(overrides: Mapping[str, object] | None = None) -> Flask:
    """The app for a server process (wsgi.py): built, then its start-up objects frozen.

    The knowledge base, the bot's indexes and the imported libraries live as long as the process
    and are never garbage: frozen, the collector stops walking them on every full collection,
    about a tenth of a bot answer's time under load.
    """
    app = create_app(overrides)
    gc.freeze()
    return app
