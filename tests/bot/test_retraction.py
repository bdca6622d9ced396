"""What a caller takes back is taken out of the question; what it still says stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.bot.retraction import Retraction

retraction = Retraction(["灵活就业人员", "灵活就业", "低保户", "退休", "新生儿"])


@pytest.mark.parametrize(
    ("rest", "meant"),
    [
        # A kind of person one is not, however it is said; the rest of the clause stays.
        ("我还没退休 去外地长住 备案", "我还 去外地长住 备案"),
        ("尚未退休 要去外地", "尚 要去外地"),
        ("没到退休年纪 要去外地", "年纪 要去外地"),
        ("不是低保户 住院报销", "住院报销"),
        ("应该不算新生儿了 给他办居民参保", "应该 了 给他办居民参保"),
        ("灵活就业人员退休了", "灵活就业人员退休了"),  # said to be one: it stays
        # What it is not, closed by a particle or 那种, or said right before what it is.
        ("不是住院哈 门诊报销", "门诊报销"),
        ("不是居民那种 职工的", "职工的"),
        ("不是住院 是门诊", "是门诊"),
        ("是不是定点医院", "是不是定点医院"),  # asks of it
        # A correction takes back what it names wherever it was said; 我是想问 all before it.
        ("转诊备案 哦不对 不是转诊 是急诊", "备案 哦 急诊"),
        ("定点药店 不对 是定点医院 变更", "是定点医院 变更"),
        ("余额怎么查 不对 我是想问公积金", "公积金"),
    ],
)
def test_what_is_taken_back_is_not_matched(rest: str, meant: str) -> None:
    assert retraction.meant(rest) == meant


def test_what_is_not_asked_is_not_read_as_asked() -> None:
    assert retraction.not_asked("我不问补多少钱 就问要带哪些材料") == "我  就问要带哪些材料"


@given(st.text(alphabet="不是没未到退休低保户灵活就业人员哈那种对 我想问的住院门诊", max_size=40))
def test_what_is_meant_only_ever_drops_words(rest: str) -> None:
    meant = retraction.meant(rest)
    assert len(meant) <= len(rest)
    assert "  " not in meant
    assert meant == meant.strip()
