"""Question text as the matcher sees it: one width, simplified, lower case, no fillers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.bot.segment import split_pinyin
from app.chinese_text import to_simplified

# Punctuation and symbols separate phrases; they never carry meaning for matching.
_SEPARATORS = re.compile(r"[^\w\u4e00-\u9fff]+")


# Letters standing alone as a word of three or more: English (python), or a term typed by its
# initials (sbk, ydjy).
ENGLISH_WORD = re.compile(r"(?<![a-z])[a-z]{3,}(?![a-z])")
_LETTERS = re.compile(r"[a-z]+")
_SHORTEST_SLIP = 5  # shorter words are too close to too many others (leave, lease)


def as_word(term: str) -> str:
    """A term as a pattern: an English one only as a whole word (app is not in apply)."""
    escaped = re.escape(term)
    return rf"(?<![a-z]){escaped}(?![a-z])" if term.isascii() else escaped


class Normalizer:
    """Normalises questions; built once per lexicon version with that lexicon's filler words,
    the terms people type by their pinyin initials (sbk → 社保卡) and its English glossary."""

    def __init__(
        self,
        fillers: Iterable[str],
        initials: Mapping[str, str] | None = None,
        english: Mapping[str, str] | None = None,
    ) -> None:
        words = "|".join(map(re.escape, sorted({f.lower() for f in fillers if f}, key=len)[::-1]))
        # Fillers go only at the edges of a phrase, where they carry nothing (那个… / …吧).
        self._edges = re.compile(f"^(?:{words})+|(?:{words})+$") if words else None
        self._initials = dict(initials or {})
        # Phrases as the text has them once its punctuation is spaces (i'm → i m).
        self._english = {
            tuple(_spaced(phrase).split()): chinese for phrase, chinese in (english or {}).items()
        }
        self._longest = max(map(len, self._english), default=0)
        # The glossary's words, to which a word of five letters or more that it lacks is read
        # when one letter is wrong, missing, extra or swapped with the next (reimbursment,
        # pensoin, drugstroe) and no other is as close.
        self._vocabulary = sorted({word for phrase in self._english for word in phrase})
        self._known = frozenset(self._vocabulary)

    def __call__(self, text: str) -> str:
        """NFKC (full-width → half-width), traditional → simplified, lower case, English put
        into Chinese, terms typed by their initials written out, no fillers.

        Idempotent: normalising twice gives the same text.
        """
        folded = _spaced(to_simplified(unicodedata.normalize("NFKC", text)).lower())
        if self._english:
            folded = self._translated(folded)
        if self._initials:
            folded = ENGLISH_WORD.sub(lambda m: self._initials.get(m.group(), m.group()), folded)
        pieces = folded.split()
        if self._edges is not None:
            pieces = [self._edges.sub("", piece) for piece in pieces]
        return " ".join(piece for piece in pieces if piece)

    def _translated(self, text: str) -> str:
        """English phrases put into Chinese, the longest first, joined to what follows as
        Chinese is written (insured in yuxi → 参保在yuxi, which the places read; 没能直接结算);
        a phrase that carries nothing is dropped. A space before a phrase stays: in kunming
        insured in chuxiong, 参保 is not said of kunming."""
        words = list(_LETTERS.finditer(text))
        spelled = [self._spelling(word.group()) for word in words]
        pieces: list[str] = []
        at, after_chinese, index = 0, False, 0
        while index < len(words):
            found = self._phrase_at(text, words, spelled, index)
            if found is None:
                index += 1
                continue
            length, chinese = found
            between = text[at : words[index].start()]
            pieces.append(between.lstrip(" ") if after_chinese else between)
            if chinese:
                pieces.append(chinese)
                after_chinese = True
            elif between.strip():
                after_chinese = False
            at = words[index + length - 1].end()
            index += length
        rest = text[at:]
        pieces.append(rest.lstrip(" ") if after_chinese else rest)
        return "".join(pieces)

    def _phrase_at(
        self, text: str, words: list[re.Match[str]], spelled: list[str], index: int
    ) -> tuple[int, str] | None:
        """The longest phrase of the glossary that starts at words[index]: (its words, its
        Chinese). Its words must follow each other with one space between."""
        phrase: list[str] = []
        found = None
        for at, word in enumerate(words[index : index + self._longest], index):
            if phrase and text[words[at - 1].end() : word.start()] != " ":
                break
            phrase.append(spelled[at])
            chinese = self._english.get(tuple(phrase))
            if chinese is not None:
                found = (len(phrase), chinese)
        return found

    def _spelling(self, word: str) -> str:
        """The glossary's word the word is a slip of, or the word itself (typed pinyin too)."""
        if len(word) < _SHORTEST_SLIP or word in self._known or split_pinyin(word) is not None:
            return word
        near = process.extract(word, self._vocabulary, scorer=OSA.distance, score_cutoff=1, limit=2)
        return near[0][0] if len(near) == 1 else word


def _spaced(text: str) -> str:
    """Punctuation and symbols as single spaces."""
    return " ".join(_SEPARATORS.sub(" ", text).replace("_", " ").split())
