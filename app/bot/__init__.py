"""问答机器人: citizens' questions answered from the knowledge base, for three channels."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_smorest import Api

from app.bot.assistant import Assistant
from app.bot.cli import bot_cli
from app.bot.lexicon import load_lexicon
from app.bot.routes import blp
from app.guides.kb import KnowledgeBase
from app.working_days import WorkingCalendar, read_published

_BUILT: dict[tuple[str, str, Path], Assistant] = {}
_KEEP_BUILT = 4  # the versions being served and reloaded; older ones are dropped


def build_assistant(kb: KnowledgeBase, lexicon_dir: Path, cache_dir: Path) -> Assistant:
    """The assistant for this base and lexicon, built once per pair of versions."""
    lexicon = load_lexicon(lexicon_dir, set(kb.catalog), kb.sub_item_names())
    key = (kb.version, lexicon.version, cache_dir)
    if key not in _BUILT:
        while len(_BUILT) >= _KEEP_BUILT:
            _BUILT.pop(next(iter(_BUILT)))
        calendar = WorkingCalendar(read_published(lexicon_dir.parent / "holidays.yaml"))
        _BUILT[key] = Assistant(kb, lexicon, cache_dir=cache_dir, calendar=calendar)
    return _BUILT[key]


class LiveAssistant:
    """The assistant being served; rebuilt aside and swapped in one reference on reload."""

    def __init__(self, kb: KnowledgeBase, lexicon_dir: Path, cache_dir: Path) -> None:
        self.lexicon_dir, self.cache_dir = lexicon_dir, cache_dir
        self.current = build_assistant(kb, lexicon_dir, cache_dir)

    def rebuild(self, kb: KnowledgeBase) -> Assistant:
        fresh = build_assistant(kb, self.lexicon_dir, self.cache_dir)
        self.current = fresh
        return fresh


def init_app(app: Flask) -> None:
    """Build the assistant over the knowledge base being served (jieba included) before serving."""
    kb = app.extensions["knowledge_base"].current
    lexicon_dir = Path(app.config["KNOWLEDGE_DIR"]) / "lexicon"
    cache_dir = Path(app.instance_path) / "jieba"
    app.extensions["assistant"] = LiveAssistant(kb, lexicon_dir, cache_dir)
    app.cli.add_command(bot_cli)


def register(api: Api) -> None:
    api.register_blueprint(blp)
