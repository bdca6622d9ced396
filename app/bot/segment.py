"""Words (jieba, a tokenizer per knowledge-base version) and pinyin keys (speech errs by sound)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path

from app.chinese_text import HANZI_RUN

# Importing pypinyin loads its phrase table (~27 MB) unless told not to; we read characters only.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
from pypinyin.pinyin_dict import pinyin_dict

# jieba imports pkg_resources (deprecated, ~90 ms of start-up) only to open its own data files;
# told that it is absent, jieba opens them by their path instead.
_HIDE_PKG_RESOURCES = "pkg_resources" not in sys.modules
if _HIDE_PKG_RESOURCES:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
try:
    import jieba
finally:
    if _HIDE_PKG_RESOURCES:
        del sys.modules["pkg_resources"]

jieba.setLogLevel(logging.WARNING)
_RUNS = re.compile(r"[\u4e00-\u9fff]+|[a-z]+")
_MAX_SYLLABLE = 6  # zhuang, chuang, shuang


# Question and function characters: a word built on one sounds like too much else (支取哪 is
# not 去哪, 医保吗 not 医保码)...
FUNCTION_CHARS = "哪什么啥吗呢要去在带多几怎咋能可不谁有是给到找"
# ...and characters that hang on the word before them (房子, 的, 了, 嘛): heard in a name, they put
# its sound across two words (房子住 is not 自助).
LEANING_CHARS = "的了子们着过吧之"
_NOT_IN_A_NAME = frozenset(FUNCTION_CHARS + LEANING_CHARS + "嘛呀啊哦")

DOMAIN_WORD_FREQUENCY = 1000  # one weight for all: jieba then prefers the longest known word


class Segmenter:
    """A jieba tokenizer of its own, never the global `jieba.dt`.

    With `words`, its dictionary is those words only (generated from the base): the matcher's
    word features can only ever match the base's words, character pairs cover everything else,
    and jieba's general dictionary would cost each worker ~80 MB. Without, jieba's own.
    """

    def __init__(self, words: Iterable[str] | None, *, cache_dir: Path) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        dictionary = None
        if words is not None:
            lines = "".join(f"{w} {DOMAIN_WORD_FREQUENCY}\n" for w in sorted(set(words)))
            digest = hashlib.blake2b(lines.encode(), digest_size=8).hexdigest()
            dictionary = cache_dir / f"domain-{digest}.txt"
            if not dictionary.exists():
                dictionary.write_text(lines, encoding="utf-8")
        self._tokenizer = jieba.Tokenizer(dictionary=str(dictionary) if dictionary else None)
        self._tokenizer.tmp_dir = str(cache_dir)
        self._tokenizer.initialize()

    def words(self, text: str) -> list[str]:
        """jieba's words of normalised text, spaces dropped."""
        return [w for w in self._tokenizer.lcut(text, HMM=False) if w.strip()]


@cache  # some 1,500 toned syllables stand for the 40,000 characters: strip each once
def _strip_tone(syllable: str) -> str:
    plain = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")  # ǚ → v, as pypinyin
    return "".join(c for c in plain if not unicodedata.combining(c))


@cache
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (lv for 绿), less the bare interjections."""
    readings = {r for value in pinyin_dict.values() for r in value.split(",")}
    return frozenset(map(_strip_tone, readings)) - {"n", "m", "ng", "hm", "hng"}


@cache
def _readings() -> dict[str, str]:
    """Each character's most common reading, toneless: what pypinyin's lazy_pinyin gives
    without phrases, looked up directly (its general converter is ~10x slower per question)."""
    return {chr(code): _strip_tone(value.split(",")[0]) for code, value in pinyin_dict.items()}


def by_initials(terms: Iterable[str], *, taken: Iterable[str] = ()) -> dict[str, str]:
    """Terms of three or four characters by their pinyin initials (社保卡 → sbk, 异地就医 →
    ydjy), as people type them; initials two terms share, that spell pinyin or a word already
    `taken` (English the lexicon knows) stand for nothing."""
    readings = _readings()
    found: dict[str, set[str]] = {}
    for term in terms:
        if 3 <= len(term) <= 4 and HANZI_RUN.fullmatch(term):
            letters = "".join(readings.get(char, "?")[0] for char in term)
            found.setdefault(letters, set()).add(term)
    known = {word.lower() for word in taken}
    return {
        letters: next(iter(named))
        for letters, named in sorted(found.items())
        if len(named) == 1
        and letters.isalpha()
        and letters not in known
        and split_pinyin(letters) is None
    }


def all_readings(text: str, *, limit: int = 16) -> list[list[str]]:
    """Every way of reading the characters of a short name (牟定 is mu ding, not only mou ding),
    at most `limit` of them, the most common reading first."""
    readings: list[list[str]] = [[]]
    for char in text:
        value = pinyin_dict.get(ord(char))
        options = list(dict.fromkeys(_strip_tone(r) for r in value.split(","))) if value else [char]
        readings = [[*head, option] for head in readings for option in options][:limit]
    return readings


@cache
def split_pinyin(letters: str) -> tuple[str, ...] | None:
    """ "yidibeian" → ("yi", "di", "bei", "an"); None when the letters are not pinyin."""
    syllables = _syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(letters) + 1)
    best[0] = ()
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            head = best[start]
            piece = letters[start:end]
            if head is not None and piece in syllables:
                candidate = (*head, piece)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    found = best[-1]
    # English words split into scraps of one letter ("online" → o-n-li-ne); they are not pinyin.
    if found is None or (len(found) > 1 and any(len(s) == 1 for s in found)):
        return None
    return found


@lru_cache(maxsize=256)  # the slots', the spotters' and the matcher's passes hear the same texts
def pinyin_of(text: str) -> tuple[str, ...]:
    """Toneless syllables of normalised text: characters read aloud, typed pinyin split up."""
    syllables: list[str] = []
    readings = _readings()
    for run in _RUNS.findall(text):
        if run[0].isascii():
            # An English word is heard as itself: "pharmacy" must count, not vanish.
            syllables.extend(split_pinyin(run) or (run,))
        else:
            syllables.extend(readings.get(char, char) for char in run)
    return tuple(syllables)


def written_as(text: str, sound: str) -> str | None:
    """The text's own spelling of a sound ("ji tian"): typed pinyin, spaced anyhow or not, or
    characters read that way (几天, 记天); None when the text does not hold it whole."""
    syllables = tuple(sound.split())
    typed = re.search(r"(?<![a-z])" + " ?".join(map(re.escape, syllables)) + r"(?![a-z])", text)
    if typed is not None:  # "shouji shang", "shoujishang", "shou ji shang"
        return typed.group()
    width = len(syllables)
    for start in range(len(text) - width + 1):
        window = text[start : start + width]
        if HANZI_RUN.fullmatch(window) and pinyin_of(window) == syllables:
            return window
    return None


class SoundAlike:
    """Names a recogniser or a typist writes in other characters of the same sound, one of them
    different: 出雄 for 楚雄, 社报卡 for 社保卡. A sound two names share stands for neither."""

    def __init__(self, names: Iterable[str], *, any_character: bool = False) -> None:
        self._any_character = any_character  # the caller judges by the words around instead
        named: dict[tuple[str, ...], set[str]] = {}
        for name in names:
            if HANZI_RUN.fullmatch(name):
                for reading in all_readings(name):
                    named.setdefault(tuple(reading), set()).add(name)
        self._names = {sound: next(iter(both)) for sound, both in named.items() if len(both) == 1}
        self._widths = sorted({len(sound) for sound in self._names}, reverse=True)

    def heard(self, text: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of each stretch of the text's characters that sounds like a name
        and differs from it in one character, unless told otherwise not a function character
        (是医保吗 says no 医保码), the longest names first; none overlaps a span of `taken`, to
        which the caller adds each one it takes."""
        for run in HANZI_RUN.finditer(text):
            syllables = pinyin_of(run.group())
            for width in self._widths:
                for at in range(len(syllables) - width + 1):
                    name = self._names.get(syllables[at : at + width])
                    start = run.start() + at
                    end = start + width
                    if name is None or any(s < end and start < e for s, e in taken):
                        continue
                    differ = [a for a, b in zip(text[start:end], name, strict=True) if a != b]
                    if len(differ) == 1 and (
                        self._any_character or differ[0] not in _NOT_IN_A_NAME
                    ):
                        yield start, end, name

    def spelled(self, text: str) -> str:
        """The text with each name heard in other characters written as it is."""
        taken: list[tuple[int, int]] = []
        for start, end, name in self.heard(text, taken):
            text = text[:start] + name + text[end:]
            taken.append((start, end))
        return text
