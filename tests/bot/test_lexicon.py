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
    ("file", "curated", "mistaken", "named"),
    [
        # YAML keeps the last of two equal keys: 死亡 listed twice would lose its first list.
        (
            "services",
            "\nsynonyms:\n",
            "\nsynonyms:\n  死亡: [过世]\n  死亡: [去世]\n",
            "键 '死亡' 重复",
        ),
        (
            "services",
            "sub_items: {参保人死亡:",
            "sub_items: {参保人去世:",
            "子项 参保人去世 不在 account.withdraw",
        ),
        (
            "services",
            "usual: [claim.inpatient, claim.outpatient]",
            "usual: [claim.inpatient, transfer]",
            "医保报销 的 usual 里的 transfer 不是它的成员",
        ),
        # Questions reach the other lists translated: English there would never be found.
        (
            "services",
            "\n  住院: [",
            "\n  住院: [inpatient, ",
            "inpatient 经 english.yaml 译为 住院",
        ),
        # Questions lose a filler at a phrase's edge: 那个报得多 would be read as any 报得多.
        ("services", " 哪个报得多, ", " 哪个报得多, 那个报得多, ", "实际按“报得多”匹配"),
        # long is also typed pinyin (龙): translating it would translate 龙 typed too.
        ("english", "\nglossary:\n", "\nglossary:\n  long: 长\n", "读作拼音 long"),
        ("english", "\nglossary:\n", "\nglossary:\n  hello world: hi\n", "译文应为汉字"),
        ("english", "\nglossary:\n", "\nglossary:\n  Hello: 你好\n", "英文短语应为小写字母"),
    ],
)
def test_a_curators_mistake_is_refused_and_named(
    tmp_path: Path, file: str, curated: str, mistaken: str, named: str
) -> None:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(KNOWLEDGE / "lexicon", lexicon)
    edited = lexicon / f"{file}.yaml"
    text = edited.read_text(encoding="utf-8")
    assert curated in text
    edited.write_text(text.replace(curated, mistaken, 1), encoding="utf-8")
    kb = load_knowledge_base(KNOWLEDGE)
    loaded, problems = read_lexicon(lexicon, set(kb.catalog), kb.sub_item_names())
    assert loaded is None
    assert [named in str(problem) for problem in problems] == [True]
