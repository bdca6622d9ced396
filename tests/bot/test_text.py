"""Normalising and reading questions: properties that must hold for any text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from app.bot.normalize import Normalizer
from app.bot.segment import by_initials, pinyin_of, split_pinyin

normalize = Normalizer(["喂", "你好", "那个", "就是", "吧", "呢"], {"sbk": "社保卡"})
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@given(texts)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_normalize_folds_width_script_case_and_fillers() -> None:
    assert normalize("喂 你好 那个，ＹＩＤＩ　備案 吧") == "yidi 备案"


def test_a_term_typed_by_its_initials_is_written_out_only_as_a_word_of_its_own() -> None:
    assert normalize("SBK丢了") == "社保卡丢了"
    assert normalize("sbkx 丢了") == "sbkx 丢了"


def test_initials_that_two_terms_share_or_that_spell_a_word_stand_for_nothing() -> None:
    terms = ["社保卡", "异地就医", "上班卡", "慢性病", "新生儿"]
    # sbk is 社保卡's and 上班卡's; xse is taken, a word the lexicon knows.
    assert by_initials(terms, taken=["xse"]) == {"mxb": "慢性病", "ydjy": "异地就医"}
    assert by_initials(["安娜"]) == {}  # two characters: too short to tell apart
    assert by_initials(["不安你"]) == {}  # b-a-n spells the syllable ban


english = Normalizer(
    ["喂"],
    None,
    {
        "how": "怎么",
        "how long": "多久",
        "insured in": "参保在",
        "working in": "在",
        "couldn't": "没能",
        "settled directly": "直接结算",
        "the": "",
        "be": "",
        "i'm": "我",
    },
)


def test_english_is_put_into_chinese_the_longest_phrase_first() -> None:
    assert english("How long does it take?") == "多久does it take"
    assert english("How do I apply") == "怎么do i apply"
    assert english("I'm insured in Yuxi") == "我参保在yuxi"


def test_chinese_joins_what_follows_it_but_not_what_came_before() -> None:
    # 参保 is said of chuxiong, not of kunming: the space before it stays.
    assert english("working in Kunming, insured in Chuxiong") == "在kunming 参保在chuxiong"
    assert english("The bill couldn't be settled directly") == "bill 没能直接结算"


def test_a_word_one_letter_off_is_read_as_the_glossarys_own() -> None:
    assert english("The bill couldn't be setled directly") == "bill 没能直接结算"  # settled
    assert english("settled dierctly") == "直接结算"  # two letters swapped
    assert english("how lnog") == "怎么lnog"  # four letters: too close to too much


def test_a_dropped_word_keeps_the_english_around_it_apart() -> None:
    assert english("sort the list") == "sort list"
    assert english("theory beside the") == "theory beside"  # a phrase is a whole word


@given(texts)
def test_a_glossary_leaves_text_without_latin_letters_as_it_was(text: str) -> None:
    without = Normalizer(["喂"])(text)
    assume(re.search("[a-z]", without) is None)
    assert english(text) == without


@given(
    st.text(alphabet="how long insured in the be couldn't settled directly 玉溪 ,.'", max_size=60)
)
def test_normalize_with_a_glossary_is_idempotent(text: str) -> None:
    once = english(text)
    assert english(once) == once


def test_pinyin_table_reads_like_pypinyin_for_every_character() -> None:
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    chars = "".join(chr(c) for c in sorted(pinyin_dict) if 0x4E00 <= c <= 0x9FFF)
    assert list(pinyin_of(chars)) == lazy_pinyin(chars, style=Style.NORMAL)


def test_typed_pinyin_is_split_into_syllables_and_english_is_not() -> None:
    assert split_pinyin("yidibeian") == ("yi", "di", "bei", "an")
    assert split_pinyin("shengyujintie") == ("sheng", "yu", "jin", "tie")
    assert split_pinyin("online") is None
    assert pinyin_of("被案 备案") == ("bei", "an", "bei", "an")


def test_jieba_reads_its_own_files_without_pkg_resources(tmp_path: Path) -> None:
    # A fresh interpreter: pytest's own plugins may have imported pkg_resources in this one.
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.bot.segment import Segmenter\n"
        "assert 'pkg_resources' not in sys.modules\n"
        f"segmenter = Segmenter(None, cache_dir=Path({str(tmp_path)!r}))\n"
        "words = segmenter.words('异地就医备案要带什么材料')\n"
        "assert '备案' in words, words\n"
    )
    root = Path(__file__).parents[2]
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=root)  # noqa: S603 (our code)
