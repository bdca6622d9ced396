"""The lexicon as curators edit it: every mistake is listed, none is loaded silently."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.bot.lexicon import read_lexicon
from app.guides.loader import load_knowledge_base, read_catalog

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
    kb = load_knowledge_base(KNOWLEDGE)
    loaded, problems = read_lexicon(KNOWLEDGE / "lexicon", set(kb.catalog), kb.sub_item_names())
    assert problems == []
    assert loaded is not None


def test_a_sub_item_no_guide_names_is_refused(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(KNOWLEDGE / "lexicon", lexicon)
    services = lexicon / "services.yaml"
    services.write_text(
        services.read_text(encoding="utf-8").replace(
            "sub_items: {参保人死亡:", "sub_items: {参保人去世:"
        ),
        encoding="utf-8",
    )
    kb = load_knowledge_base(KNOWLEDGE)
    loaded, problems = read_lexicon(lexicon, set(kb.catalog), kb.sub_item_names())
    assert loaded is None
    assert [p.message for p in problems] == ["子项 参保人去世 不在 account.withdraw 的任何指南里"]


def test_a_familys_usual_member_must_be_one_of_its_members(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(KNOWLEDGE / "lexicon", lexicon)
    services = lexicon / "services.yaml"
    services.write_text(
        services.read_text(encoding="utf-8").replace(
            "usual: [claim.inpatient, claim.outpatient]", "usual: [claim.inpatient, transfer]"
        ),
        encoding="utf-8",
    )
    kb = load_knowledge_base(KNOWLEDGE)
    loaded, problems = read_lexicon(lexicon, set(kb.catalog), kb.sub_item_names())
    assert loaded is None
    assert [p.message for p in problems] == ["医保报销 的 usual 里的 transfer 不是它的成员"]
