"""The application factory."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from app.guides.loader import KnowledgeBaseError


def test_overrides_win_over_the_environment(fixture_knowledge: Path) -> None:
    app = create_app({"KNOWLEDGE_DIR": str(fixture_knowledge), "GUIDE_CACHE_SECONDS": 5})
    assert app.config["GUIDE_CACHE_SECONDS"] == 5
    assert app.extensions["knowledge_base"].current.guides


def test_a_broken_base_stops_start_up(knowledge_copy: Path) -> None:
    (knowledge_copy / "guides/530000/region.yaml").write_text("code: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError):
        create_app({"KNOWLEDGE_DIR": str(knowledge_copy)})
