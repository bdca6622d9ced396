"""Question text as the matcher sees it: one width, simplified, lower case, no fillers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from app.chinese_text import to_simplified

# Punctuation and symbols separate phrases; they never carry meaning for matching.
_SEPARATORS = re.compile(r"[^\w\u4e00-\u9fff]+")


class Normalizer:
    """Normalises questions; built once per lexicon version with that lexicon's filler words."""

    def __init__(self, fillers: Iterable[str]) -> None:
        words = "|".join(map(re.escape, sorted({f.lower() for f in fillers if f}, key=len)[::-1]))
        # Fillers go only at the edges of a phrase, where they carry nothing (那个… / …吧).
        self._edges = re.compile(f"^(?:{words})+|(?:{words})+$") if words else None

    def __call__(self, text: str) -> str:
        """NFKC (full-width → half-width), traditional → simplified, lower case, no fillers.

        Idempotent: normalising twice gives the same text.
        """
        folded = to_simplified(unicodedata.normalize("NFKC", text)).lower()
        pieces = _SEPARATORS.sub(" ", folded).replace("_", " ").split()
        if self._edges is not None:
            pieces = [self._edges.sub("", piece) for piece in pieces]
        return " ".join(piece for piece in pieces if piece)
