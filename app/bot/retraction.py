"""What a caller takes back or says is not so, taken out of the question before it is matched.

Corrections (…转诊备案，哦不对，不是转诊，是急诊), what is not asked (我不问补多少钱), what
it is not (不是住院哈) and a kind of person one is not (还没退休, 不是低保户): each is evidence
against, not for, the service its words name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A caller correcting themselves: …转诊备案，哦不对，不是转诊，是…急诊; 定点药店，不对，是定点医院;
# …余额怎么查，不对，我是想问公积金….
_TAKEN_BACK = re.compile(r"不对(?: ?不对)? 不是(\S{2,}) 是")
_SAID_INSTEAD = re.compile(r"(\S{2,}) \S?不对(?: ?不对)? 是(\S{2,})")
# 我不问补多少钱，就问要带哪些材料: what a caller says they are not asking is not asked, nor what
# would follow otherwise (转院之前要先办个手续，不然报得少).
_NOT_ASKED = re.compile(r"(?:不(?:是|是要)?问|不然|否则)\S*")
# 不是住院哈, 不是居民那种, 不是住院，是门诊: what a caller says it is not, the clause closed by
# a particle or by 那种, or said right before what it is (not 是不是定点医院, nor
# 不是直系亲属能不能用, which asks of that).
_SAID_NOT = re.compile(
    r"(?<![是还要])不是(?:\S{2,10}?(?:[哈啊呀哦喔嘛]|(?:那种|这种)\S{0,3})(?= |$)|\S{1,8}(?= 是))"
)
_ASKED_AGAIN = re.compile(r"不对(?: ?不对)? (?:我是说|我是想问|我想问的是|我说的是|我要问的是)")


def _shared(one: str, other: str) -> int:
    """How many characters the two begin with alike."""
    pairs = zip(one, other, strict=False)
    return next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(one), len(other)))


def _without_what_was_taken_back(rest: str) -> str:
    """The words without what a correction takes back: 不是转诊 takes back 转诊 wherever it was
    said; 定点药店，不对，是定点医院 the words it corrects, which share 定点 with it, but not a
    different thing (灵活就业停保，不对，是在职转退休: 灵活就业 still says whose it is);
    我是想问 all that came before."""
    asked_again = _ASKED_AGAIN.search(rest)
    if asked_again is not None:
        return rest[asked_again.end() :].strip()
    found = _TAKEN_BACK.search(rest)
    if found is not None:
        kept = rest[: found.start()].replace(found.group(1), " ") + " " + rest[found.end() :]
        return " ".join(kept.split())
    instead = _SAID_INSTEAD.search(rest)
    if instead is None:
        return rest
    said, meant = instead.groups()
    if said == meant or max(_shared(said, meant), _shared(said[::-1], meant[::-1])) < 2:
        return rest
    # What both say, the meant words say again.
    return rest[: instead.start()] + rest[instead.start(2) - 1 :]


class Retraction:
    """Built with the kinds of person services are for (灵活就业, 退休), which can be said not to
    be one's own."""

    def __init__(self, kinds: Iterable[str]) -> None:
        # Longest first: 灵活就业人员 before 灵活就业.
        negatable = sorted(set(filter(None, kinds)), key=lambda k: (-len(k), k))
        self._negated_kinds = (
            re.compile(f"(?:没有|没|未|不是|不算|不)到?(?:{'|'.join(map(re.escape, negatable))})")
            if negatable
            else None
        )

    @staticmethod
    def not_asked(text: str) -> str:
        """The text without what the caller says they are not asking (read before the aspects)."""
        return _NOT_ASKED.sub(" ", text)

    def meant(self, rest: str) -> str:
        """The question's words without what is taken back, said not to be so, or a kind of
        person one is not (还没退休, 尚未退休, 没到退休年纪, 不算新生儿了)."""
        meant = _SAID_NOT.sub(" ", _without_what_was_taken_back(rest))
        if self._negated_kinds is not None:
            meant = self._negated_kinds.sub(" ", " ".join(meant.split()))
        return " ".join(meant.split())
