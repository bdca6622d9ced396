"""Chinese text normalisation shared by the knowledge base, its checks and the bot."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
# A run of CJK unified ideographs, the characters the base and the questions are written in.
HANZI_RUN = re.compile(r"[\u4e00-\u9fff]+")


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (opencc), everything else unchanged."""
    return str(_T2S.convert(text))


def _is_dropped(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in {"P", "S", "Z", "C"}


@lru_cache(maxsize=4096)
def match_key(text: str) -> str:
    """Key for comparing text across sources: NFKC, simplified, no space, punctuation or symbols.

    `（加盖单位公章）` and `(加盖单位公章)` get the same key, and so does a table cell split over
    two lines once the lines are joined.
    """
    folded = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return "".join(char for char in folded if not _is_dropped(char))
