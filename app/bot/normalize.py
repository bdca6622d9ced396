"""Question text as the matcher sees it: one width, simplified, lower case, no fillers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from app.chinese_text import to_simplified

# Punctuation and symbols separate phrases; they never carry meaning for matching.
_SEPARATORS = re.compile(r"[^\w\u4e00-\u9fff]+")


# Letters standing alone as a word of three or more: English (python), or a term typed by its
# initials (sbk, ydjy).
ENGLISH_WORD = re.compile(r"(?<![a-z])[a-z]{3,}(?![a-z])")


def as_word(term: str) -> str:
    """A term as a pattern: an English one only as a whole word (app is not in apply)."""
    escaped = re.escape(term)
    return rf"(?<![a-z]){escaped}(?![a-z])" if term.isascii() else escaped


class Normalizer:
    """Normalises questions; built once per lexicon version with that lexicon's filler words
    and the terms people type by their pinyin initials (sbk → 社保卡)."""

    def __init__(self, fillers: Iterable[str], initials: Mapping[str, str] | None = None) -> None:
        words = "|".join(map(re.escape, sorted({f.lower() for f in fillers if f}, key=len)[::-1]))
        # Fillers go only at the edges of a phrase, where they carry nothing (那个… / …吧).
        self._edges = re.compile(f"^(?:{words})+|(?:{words})+$") if words else None
        self._initials = dict(initials or {})

    def __call__(self, text: str) -> str:
        """NFKC (full-width → half-width), traditional → simplified, lower case, terms typed by
        their initials written out, no fillers.

        Idempotent: normalising twice gives the same text.
        """
        folded = to_simplified(unicodedata.normalize("NFKC", text)).lower()
        if self._initials:
            folded = ENGLISH_WORD.sub(lambda m: self._initials.get(m.group(), m.group()), folded)
        pieces = _SEPARATORS.sub(" ", folded).replace("_", " ").split()
        if self._edges is not None:
            pieces = [self._edges.sub("", piece) for piece in pieces]
        return " ".join(piece for piece in pieces if piece)
