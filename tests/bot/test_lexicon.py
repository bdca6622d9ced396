"""The lexicon as curators edit it: every mistake is listed, none is loaded silently."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.bot.lexicon import read_lexicon
from app.guides.loader import read_catalog

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"


def test_a_key_listed_twice_is_refused_not_overwritten(tmp_path: Path) -> None:
    # YAML keeps the last of two equal keys: 死亡 listed twice would lose its first list.
    lexicon = tmp_path / "lexicon"
    shutil.copytree(KNOWLEDGE / "lexicon", lexicon)
    services = lexicon / "services.yaml"
    services.write_text(
        services.read_text(encoding="utf-8").replace(
            "\nsynonyms:\n", "\nsynonyms:\n  死亡: [过世]\n  死亡: [去世]\n"
        ),
        encoding="utf-8",
    )
    catalog = set(read_catalog(KNOWLEDGE / "catalog.tsv"))
    loaded, problems = read_lexicon(lexicon, catalog)
    assert loaded is None
    assert any("键 '死亡' 重复" in str(problem) for problem in problems)


def test_the_curated_lexicon_loads_clean() -> None:
    loaded, problems = read_lexicon(
        KNOWLEDGE / "lexicon", set(read_catalog(KNOWLEDGE / "catalog.tsv"))
    )
    assert problems == []
    assert loaded is not None
