"""The lexicon as curators edit it: every mistake is listed, none is loaded silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.bot.lexicon import read_lexicon
from app.guides.loader import load_knowledge_base

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"


def test_the_curated_lexicon_loads_clean() -> None:
    kb = load_knowledge_base(KNOWLEDGE)
    loaded, problems = read_lexicon(KNOWLEDGE / "lexicon", set(kb.catalog), kb.sub_item_names())
    assert problems == []
    assert loaded is not None


@pytest.mark.parametrize(
    ("curated", "mistaken", "named"),
    [
        # YAML keeps the last of two equal keys: 死亡 listed twice would lose its first list.
        ("\nsynonyms:\n", "\nsynonyms:\n  死亡: [过世]\n  死亡: [去世]\n", "键 '死亡' 重复"),
        (
            "sub_items: {参保人死亡:",
            "sub_items: {参保人去世:",
            "子项 参保人去世 不在 account.withdraw",
        ),
        (
            "usual: [claim.inpatient, claim.outpatient]",
            "usual: [claim.inpatient, transfer]",
            "医保报销 的 usual 里的 transfer 不是它的成员",
        ),
    ],
)
def test_a_curators_mistake_is_refused_and_named(
    tmp_path: Path, curated: str, mistaken: str, named: str
) -> None:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(KNOWLEDGE / "lexicon", lexicon)
    services = lexicon / "services.yaml"
    text = services.read_text(encoding="utf-8")
    assert curated in text
    services.write_text(text.replace(curated, mistaken, 1), encoding="utf-8")
    kb = load_knowledge_base(KNOWLEDGE)
    loaded, problems = read_lexicon(lexicon, set(kb.catalog), kb.sub_item_names())
    assert loaded is None
    assert [named in str(problem) for problem in problems] == [True]
