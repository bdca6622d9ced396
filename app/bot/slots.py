"""What a question says besides the service: the place that decides the answer, and what is asked.

The region that decides an answer is where the person is insured (参保地): "我在昆明打工，医保在
楚雄" is 楚雄; a place they are going to (去昆明看病) is a destination, not the region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.bot.lexicon import Aspect, Lexicon, PlaceMarkers
from app.guides.kb import KnowledgeBase

_REGION_SUFFIXES = re.compile(r"(彝族自治州|自治州|省|市|州)$")
_COUNTY_SUFFIXES = re.compile(r"(县|区|市)$")
_LOOK_AROUND = 4


@dataclass(frozen=True, slots=True)
class PlaceName:
    text: str
    region: str
    county: str | None


@dataclass(frozen=True, slots=True)
class Mention:
    place: PlaceName
    start: int
    end: int
    role: str  # insured | elsewhere | visiting | plain


@dataclass(frozen=True, slots=True)
class Places:
    region: str | None
    county: str | None
    destination: str | None
    rest: str  # the text with place names taken out, for service matching


class Gazetteer:
    """Region and county names from the base (玉溪, 玉溪市, 牟定, 牟定县, 经开区…)."""

    def __init__(self, kb: KnowledgeBase, markers: PlaceMarkers) -> None:
        names: dict[str, PlaceName] = {}
        for code, entry in kb.region_codes.items():
            short = _REGION_SUFFIXES.sub("", entry.name)
            for name in {entry.name, short, f"{short}州" if entry.name.endswith("州") else short}:
                names[name] = PlaceName(name, code, None)
        for code, region in kb.regions.items():
            for county in region.counties:
                short = _COUNTY_SUFFIXES.sub("", county)
                for name in {county, short if len(short) >= 2 else county}:
                    names.setdefault(name, PlaceName(name, code, county))
        self._names = names
        self._pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
        self._markers = markers

    def _role(self, text: str, start: int, end: int) -> str:
        before, after = text[max(0, start - _LOOK_AROUND) : start], text[end : end + _LOOK_AROUND]
        markers = self._markers
        if any(before.endswith(m) for m in markers.insured_before) or any(
            after.startswith(m) for m in markers.insured_after
        ):
            return "insured"
        if any(before.endswith(m) for m in markers.elsewhere_before):
            return "elsewhere"
        if any(after.startswith(m) for m in markers.elsewhere_after):
            return "visiting"
        return "plain"

    def find(self, text: str) -> Places:
        """The insured region (and county) named, a destination, and the text without them."""
        mentions = [
            Mention(
                self._names[m.group()], m.start(), m.end(), self._role(text, m.start(), m.end())
            )
            for m in self._pattern.finditer(text)
        ]
        chosen = None
        for role in ("insured", "plain", "visiting"):
            chosen = next((m for m in mentions if m.role == role), None)
            if chosen is not None:
                break
        elsewhere = next((m for m in mentions if m.role == "elsewhere"), None)
        rest = self._pattern.sub(" ", text) if mentions else text
        return Places(
            region=chosen.place.region if chosen else None,
            county=chosen.place.county if chosen else None,
            destination=elsewhere.place.text if elsewhere else None,
            rest=" ".join(rest.split()),
        )


class AspectFinder:
    """What is asked (materials, time limit, where, phone…), in the order the question asks it."""

    def __init__(self, lexicon: Lexicon) -> None:
        words = lexicon.aspect_words()
        self._by_word = {word: aspect for aspect, ws in words.items() for word in ws}
        ordered = sorted(self._by_word, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def find(self, text: str) -> tuple[tuple[Aspect, ...], str]:
        """The aspects asked, first asked first, and the text without the words that asked them."""
        if self._pattern is None:
            return (), text
        found = [self._by_word[m.group()] for m in self._pattern.finditer(text)]
        rest = " ".join(self._pattern.sub(" ", text).split())
        return tuple(dict.fromkeys(found)), rest
