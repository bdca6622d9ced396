"""What a question says besides the service: the place that decides the answer, and what is asked.

The region that decides an answer is where the person is insured (参保地): "我在昆明打工，医保在
楚雄" is 楚雄; a place they are going to (去昆明看病) is a destination, not the region.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from app.bot.lexicon import Aspect, Lexicon, PlaceMarkers
from app.bot.normalize import as_word
from app.bot.segment import (
    FUNCTION_CHARS,
    LEANING_CHARS,
    SoundAlike,
    all_readings,
    pinyin_of,
    written_as,
)
from app.chinese_text import HANZI_RUN
from app.divisions import counties_within
from app.guides.kb import KnowledgeBase

_REGION_SUFFIXES = re.compile(r"(彝族自治州|自治州|省|市|州)$")
_COUNTY_SUFFIXES = re.compile(r"(县|区|市)$")
_DIVISION_SUFFIXES = re.compile(r"((?:[^族]{1,3}族)+自治县|县|区|市)$")  # 禄劝彝族苗族自治县 → 禄劝
_LOOK_AROUND = 5
_ACTS = "报取领"  # acts that name a service (报销, 支取, 领取) when asked how to do them
_WILL_DO = (
    "行不行|行吗|可以吗|可以不|可不可以|能用吗|能不能用|算不算|算吗|管用吗|代替"
    "|给得行|得不得行|得行不|要得不"  # 云南话: 给得行 is 行不行
)
_MAY, _DONE = "就|能|可以|直接|可不可以|给是", "办|弄|参|登记|认定"  # 能在医院办, 就可以登记
# 户口在上海: where someone is registered, not where a job in 昆明 insures them.
_HOME = ("户口", "户籍", "落户")
_HERE_WORDS = ("这边", "那边", "这里", "那里")
_HERE = re.compile(f"^(?:{'|'.join(_HERE_WORDS)})")
# 大理人, then a pause or 在/现在 (大理人，在玉溪…): not 大理人社局 or 大理人民医院.
_NATIVE = re.compile(r"(?![\u4e00-\u9fff])|(?=[在现])")
ELSEWHERE = "外地"  # what a place other than the deciding one means to the service match
_REPEATED_ELSEWHERE = re.compile(f"(?:{ELSEWHERE})+")  # 昆明经开区: one place, said once
# A place heard in other characters (出雄市, 在玉西): what around it says it is a place.
_PLACE_SUFFIXES = "县区市州"
_BEFORE_PLACE = ("在", "从", "回", "到", "去")
_CHANGEABLE = (Aspect.PHONE, Aspect.WHERE)  # what a citizen changes: a number, an address
_LEADING_ENGLISH = re.compile(r"^[\sA-Za-z]*")  # "phone number 换了": the words of the thing
_WHICH = ("哪个", "哪些", "什么", "啥")
_CHANGE_REACH = 8  # 改医保登记的联系电话: how far before a thing a word changing it may stand
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_WHICH_TIME = re.compile("[一个]?[年月天日号]")
_SOME_DAYS = ("前", "这", "那", "头")
_CLAUSE_CHAR = r"[^\s，。？！?!,]"
# 能…吗, 可以…么 closing a clause (the particle 么, not the 么 of 什么 or 怎么).
_MAY_ONE = re.compile(
    rf"(?:可以|能){_CLAUSE_CHAR}{{1,6}}?(?:吗|(?<![什怎那这多要])么)(?!{_CLAUSE_CHAR})"
)
_PEOPLE_OF = re.compile("员工|职工|籍|同胞|居民")
# Aspect words heard in other characters are content words (电话 in 电化, 材料 in 才料); a word
# built on a question or function character (去哪, 多久, 要带) is heard only when typed in pinyin
# ("dai sha")...
_FUNCTION_CHARS = re.compile(f"[{FUNCTION_CHARS}]")
# ...and the characters heard are content too (办好吗 is not 号码).
_ACROSS_WORDS = re.compile(f"[{FUNCTION_CHARS}{LEANING_CHARS}]")


def _inside_any(text: str, start: int, written: str, words: Iterable[str]) -> bool:
    """The text's characters at start are part of one of the words where the text has it."""
    end = start + len(written)
    for word in words:
        at = text.find(word, max(0, end - len(word)))
        if at != -1 and at <= start:
            return True
    return False


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
    role: str  # insured | elsewhere | visiting | plain | native


@dataclass(frozen=True, slots=True)
class Places:
    region: str | None
    county: str | None
    destination: str | None  # the region of a place they are going to
    rest: str  # the text with place names taken out, for service matching
    # A place beyond every guide named as theirs (长沙的社保卡, 深圳参保的), when none we know is.
    beyond: str | None = None
    others: frozenset[str] = frozenset()  # the regions of the other places named


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
        provinces = {e.parent for e in kb.region_codes.values() if e.parent}
        self._provinces = frozenset(provinces)
        self._parent = {code: e.parent for code, e in kb.region_codes.items() if e.parent}
        for province in sorted(provinces):
            for name in markers.in_province:
                names.setdefault(name, PlaceName(name, province, None))
        # Typed pinyin is heard for the base's own names only: 140 more two-syllable names
        # (fumin, hekou) would be heard in typed words.
        spoken_names = dict(names)
        self._add_divisions(kb, markers, names)
        self._names = names
        self._pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
        outside = sorted((n for n in markers.outside if n not in names), key=len, reverse=True)
        self._outside = re.compile("|".join(map(re.escape, outside))) if outside else None
        self._markers = markers
        # Typed pinyin of each name, spaced or not ("chuxiong", "mu ding xian"): longest first.
        sounds = {
            " ".join(reading): place
            for name, place in sorted(spoken_names.items(), key=lambda item: len(item[0]))
            for reading in all_readings(name)
        }
        spellings = {
            spelling: place
            for sound, place in sounds.items()
            if sound.count(" ") >= 1
            for spelling in (sound, sound.replace(" ", ""))
        }
        self._typed = spellings
        # Heard in other characters: the base's own names, and the divisions of a city with a
        # guide (岳阳's 临湘, 平江), not the province's hundred other counties.
        self._misheard = SoundAlike(
            (
                name
                for name, place in names.items()
                if (name in spoken_names or place.region not in provinces) and len(name) >= 2
            ),
            any_character=True,  # 要安县 is 姚安县: _placed judges by the words around
        )
        ordered = sorted(spellings, key=len, reverse=True)
        self._typed_pattern = (
            re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, ordered)) + r")(?![a-z])")
            if ordered
            else None
        )

    @staticmethod
    def _add_divisions(
        kb: KnowledgeBase, markers: PlaceMarkers, names: dict[str, PlaceName]
    ) -> None:
        """The counties and districts inside each region of the base that its guide does not
        list (岳阳's 平江县, 临湘; Yunnan's 蒙自, 祥云 → the province's answers), from the
        national division table: a city's first, so that its own win over the province's."""
        by_level = sorted(kb.region_codes, key=lambda code: code.endswith("0000"))
        for code in by_level:
            listed = set(kb.regions[code].counties) if code in kb.regions else set()
            for division in counties_within(code):
                county = division.name if division.name in listed else None
                short = _DIVISION_SUFFIXES.sub("", division.name)
                alone = len(short) >= 2 and short not in markers.whole_only
                for name in {division.name, short if alone else division.name}:
                    names.setdefault(name, PlaceName(name, code, county))

    def _role(self, text: str, start: int, end: int) -> str:
        before = text[max(0, start - _LOOK_AROUND) : start]
        # 玉溪这边参保: the words after "this side of" the place are the ones about it.
        after = _HERE.sub("", text[end : end + _LOOK_AROUND + 2])[:_LOOK_AROUND]
        markers = self._markers
        if any(before.endswith(m) for m in markers.insured_before) or any(
            after.startswith(m) for m in markers.insured_after
        ):
            return "insured"
        # 户口在大理, 大理户口: where one is registered, which another place named outweighs.
        if any(before.endswith(m) for m in markers.hometown_before) or after.startswith(_HOME):
            return "native"
        if any(before.endswith(m) for m in markers.elsewhere_before):
            return (
                "plain" if any(after.startswith(m) for m in markers.errand_after) else "elsewhere"
            )
        if any(after.startswith(m) for m in markers.elsewhere_after):
            return "visiting"
        if any(before.endswith(m) for m in markers.native_before) and any(
            _NATIVE.match(after, len(m)) for m in markers.native_after if after.startswith(m)
        ):
            return "native"
        return "plain"

    def knows(self, name: str) -> bool:
        return name in self._names

    def spelled(self, text: str) -> str:
        """The text with the places that speech or typing wrote in other characters of the same
        sound written as they are (出雄市 → 楚雄市, 在玉西 → 在玉溪): the place decides the answer.
        Only one character of a two- or three-character name may differ, and the words around
        must say it is a place (see _placed): 在用人单位 is not 永仁."""
        known = [(m.start(), m.end()) for m in self._pattern.finditer(text)]
        for start, end, name in self._misheard.heard(text, known):
            guided = self._names[name].region not in self._provinces
            if _placed(text, start, end, suffixed=name[-1] in _PLACE_SUFFIXES, guided=guided):
                text = text[:start] + name + text[end:]
                known.append((start, end))
        return text

    def _as_one_place(self, text: str) -> str:
        """岳阳经开区, 曲靖经开区: a district's name that several cities have, right after another
        region's name, is that city's own district, not the one we know by it: the city alone.
        云南楚雄, 云南省玉溪市: the province's name before a city in it is part of the city's
        address: the city alone."""
        dropped = set()
        for before, name in itertools.pairwise(self._pattern.finditer(text)):
            place, city = self._names[name.group()], self._names[before.group()]
            if before.end() != name.start():
                continue
            if place.county and place.region != city.region:
                dropped.add(name.span())
            elif city.county is None and self._parent.get(place.region) == city.region:
                dropped.add(before.span())
        # From the end, so that each span still stands where it was found.
        for start, end in sorted(dropped, reverse=True):
            text = text[:start] + text[end:]
        return text

    def find(self, text: str) -> Places:
        """The insured region (and county) named, a destination, and the text without them."""
        text = self._as_one_place(text)
        mentions = [
            Mention(
                self._names[m.group()], m.start(), m.end(), self._role(text, m.start(), m.end())
            )
            for m in self._pattern.finditer(text)
        ]
        written_here = bool(mentions)  # a place we know, in characters
        if self._typed_pattern is not None:
            mentions += [
                Mention(
                    self._typed[m.group()], m.start(), m.end(), self._role(text, m.start(), m.end())
                )
                for m in self._typed_pattern.finditer(text)
            ]
            text_without = self._typed_pattern.sub(" ", text)
        else:
            text_without = text
        mentions.sort(key=lambda m: m.start)
        chosen = None
        for role in ("insured", "plain", "visiting", "native"):
            chosen = next((m for m in mentions if m.role == role), None)
            if chosen is not None:
                break
        if chosen is not None:
            chosen = self._narrowest(chosen, mentions)
        elsewhere = next((m for m in mentions if m.role == "elsewhere"), None)
        deciding = chosen.place.region if chosen else None
        return Places(
            region=deciding,
            county=chosen.place.county if chosen else None,
            destination=elsewhere.place.region if elsewhere else None,
            rest=" ".join(self._without_names(text_without, deciding).split()),
            beyond=(
                None
                if chosen is not None and chosen.role == "insured"
                else self._beyond(text, ours_named=written_here)
            ),
            others=frozenset(m.place.region for m in mentions) - {deciding},
        )

    @staticmethod
    def _narrowest(chosen: Mention, mentions: list[Mention]) -> Mention:
        """玉溪通海县: the county named with its region says more than the region alone; 经开区
        洛羊街道: the place named right after a county, within it, more than the county."""
        region = chosen.place.region
        if chosen.place.county is None:
            return next(
                (
                    m
                    for m in mentions
                    if m.place.region == region
                    and m.place.county is not None
                    and m.role != "elsewhere"
                ),
                chosen,
            )
        within = (m for m in mentions if m.start == chosen.end and m.place.region == region)
        return next((m for m in within if m.place.county is not None), chosen)

    def _beyond(self, text: str, *, ours_named: bool) -> str | None:
        """A place beyond every guide that the text says is theirs: insured there (深圳参保的),
        or its office, card or insurance (成都市医保局, 长沙的社保卡)."""
        if self._outside is None:
            return None
        # With a place we know named too, 从 there is a move from there to here (从湖南转回玉溪),
        # as is insurance moved in (广东交了八年…回曲靖…转回来): the guide of where it goes answers.
        if ours_named and any(word in text for word in self._markers.moving_in):
            return None
        for found in self._outside.finditer(text):
            if self._pattern.match(text, found.end()):
                continue  # 湖南岳阳: the province of a place we know
            if ours_named and text[: found.start()].endswith("从"):
                continue
            end = found.end() + (text[found.end() : found.end() + 1] in "市省")
            before = text[max(0, found.start() - _LOOK_AROUND) : found.start()]
            home = any(word in before for word in _HOME)
            if not home and self._role(text, found.start(), end) == "insured":
                return found.group()
        return None

    def _without_names(self, text: str, deciding: str | None) -> str:
        """The text without place names, for service matching; a place other than the one that
        decides the answer is somewhere else: 退休了去海南住 reads as 退休了去外地住."""

        def known(found: re.Match[str]) -> str:
            return " " if self._names[found.group()].region in (deciding, None) else ELSEWHERE

        def outside(found: re.Match[str]) -> str:
            # 湖南岳阳, 云南玉溪: the province before a place we know is part of its name.
            if self._pattern.match(text, found.end()):
                return " "
            # 香港员工, 台湾籍: who someone is, which a service may name (港澳台员工参保).
            return found.group() if _PEOPLE_OF.match(text, found.end()) else ELSEWHERE

        if self._outside is not None:
            text = self._outside.sub(outside, text)
        return _REPEATED_ELSEWHERE.sub(ELSEWHERE, self._pattern.sub(known, text))


def _placed(text: str, start: int, end: int, *, suffixed: bool, guided: bool) -> bool:
    """Whether the words around text[start:end] make it a place: a 县, 区, 市 or 州 after it (or
    in it), 在, 从, 回, 到 or 去 before it, 是…的 around it (not 是代理人), or a pause before it —
    where the place has a guide of its own (同海医保…); of a city without one (大理), a pause on
    both sides or 这边 after it."""
    after = text[end : end + 1]
    before = text[start - 1 : start] if start else ""
    if suffixed or (after and after in _PLACE_SUFFIXES) or before in _BEFORE_PLACE:
        return True
    if before == "是":
        return after == "的"
    if HANZI_RUN.fullmatch(before):
        return False
    return guided or not HANZI_RUN.fullmatch(after) or text.startswith(_HERE_WORDS, end)


def _what_the_asking_leaves(word: str, after: str) -> str:
    """What stands in the rest for an aspect's word: a space, but for the act it asks how to
    do (回来咋个报, 家属咋个领, 子女怎么取), which names the service: it stays, joined to what
    it is done to."""
    if after and after[0] in _ACTS:
        return ""
    return word[-1] if word[-1] in _ACTS and len(word) > 1 else " "


def _without_venue(rest: str, venue: str) -> str:
    """The rest without the place asked about: the mention of it before what is done there
    (宝宝在医院生的，能在医院办参保吗 keeps the first 医院, where the baby was born)."""
    asked = re.search(rf"{re.escape(venue)}(?=\S{{0,3}}?(?:{_DONE}))", rest)
    at = asked.start() if asked else rest.find(venue)
    if at < 0:
        return rest
    return " ".join((rest[:at] + " " + rest[at + len(venue) :]).split())


def _content_word(word: str) -> bool:
    return not _FUNCTION_CHARS.search(word)


class AspectFinder:
    """What is asked (materials, time limit, where, phone…), in the order the question asks it.

    Words are found as written, then by sound (电化 → 电话, "ji tian" → 几天): speech and typing
    err by sound, and a missed aspect word would also be left to mislead the service match.
    """

    def __init__(self, lexicon: Lexicon, *, names: Iterable[str] = ()) -> None:
        words = lexicon.aspect_words()
        self._by_word = {word: aspect for aspect, ws in words.items() for word in ws}
        ordered = sorted(self._by_word, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(as_word, ordered))) if ordered else None
        speech = lexicon.speech
        self._changes = speech.changes
        self._sound_alikes = speech.sound_alikes
        self._numbered = speech.numbered
        documents = "|".join(map(re.escape, sorted(speech.documents, key=len, reverse=True)))
        # 要交药品经营许可证吗, 需要病历不: whether a document is needed is a materials question;
        # so is whether one will do (医院开的死亡证明行不行, 租房合同可以吗). One to bring
        # (要带参保凭证原件吗) is a material of what is done, not the service asked for (开参保凭证
        # would be).
        self._asks_for_document = (
            re.compile(
                rf"(?:要|需要|得)(?:(?:带|提供|提交|上传)(?P<to_bring>\S{{1,10}}?(?:{documents}))"
                rf"(?:原件|复印件)?|\S{{0,10}}?(?:{documents}))(?:吗|不|没|么)"
                rf"|(?:要不要|需不需要|用不用)\S{{0,10}}?(?:{documents})"
                rf"|(?:{documents})\S{{0,2}}?(?:{_WILL_DO})"
            )
            if documents
            else None
        )
        venues = "|".join(map(re.escape, sorted(speech.venues, key=len, reverse=True)))
        # 可以直接在医院办吗, 在村委会就可以登记不: whether it can be done there asks where (not
        # 医院开的诊断能办吗, which asks whether the hospital's paper will do).
        self._asks_for_venue = (
            re.compile(
                rf"(?:(?:{_MAY})\S{{0,3}}?在(?:我们)?(?P<after>{venues})"
                rf"|(?P<before>{venues})\S{{0,3}}?(?:{_MAY}))"
                rf"[^，。？！?!,]{{0,8}}?(?:{_DONE})"
            )
            if venues
            else None
        )
        # Services' names: an aspect word heard inside one is not asked (死亡停保 holds 亡停, which
        # sounds like 网厅).
        self._names = sorted({n for n in names if len(n) >= 3})
        self._by_sound = [
            (f" {' '.join(pinyin_of(word))} ", self._by_word[word], _content_word(word))
            for word in ordered
            if _CJK_WORD.fullmatch(word)
        ]
        # Which of them a text could hold, by their first syllable: trying all 400 costs more
        # than the rest of the aspects' search.
        self._sound_starting: dict[str, list[int]] = defaultdict(list)
        for at, (sound, _, _) in enumerate(self._by_sound):
            self._sound_starting[sound.split()[0]].append(at)

    def find(self, text: str) -> tuple[tuple[Aspect, ...], str]:
        """The aspects asked, first asked first, and the text without the words that asked them."""
        if self._pattern is None:
            return (), text
        asked = [
            m
            for m in self._pattern.finditer(text)
            if not self._named_not_asked(text, m.start(), m.group(), self._by_word[m.group()])
        ]
        found = [(m.start(), self._by_word[m.group()]) for m in asked]
        rest = text
        for m in reversed(asked):
            rest = (
                rest[: m.start()]
                + _what_the_asking_leaves(m.group(), rest[m.end() :])
                + rest[m.end() :]
            )
        rest = " ".join(rest.split())
        phrased, rest = self._asked_by_phrasing(text, rest)
        heard, rest = self._asked_by_sound(text, rest)
        ordered = [aspect for _, aspect in sorted([*found, *phrased, *heard], key=lambda f: f[0])]
        # 个人账户可以给我妈用吗 要带什么: whether one may, asked in a clause of its own beside
        # something else, comes after it (not 可以在医院办吗, 当场能办好吗, which ask where and
        # how soon); asked alone, the general answer says more than the conditions would.
        starts = [at for at, _ in [*found, *phrased]]
        if ordered and any(
            not any(text.rfind(" ", 0, m.start()) < at < m.end() for at in starts)
            for m in _MAY_ONE.finditer(text)
        ):
            ordered.append(Aspect.CONDITIONS)
        return tuple(dict.fromkeys(ordered)), rest

    def _asked_by_phrasing(self, text: str, rest: str) -> tuple[list[tuple[int, Aspect]], str]:
        """Whether a document is needed (要病历不) and whether it can be done somewhere (在医院
        能办吗), each where the text asks it; a document to bring and the place are taken out of
        the rest."""
        found = []
        if self._asks_for_document is not None:
            for m in self._asks_for_document.finditer(text):
                found.append((m.start(), Aspect.MATERIALS))
                if m.group("to_bring") is not None:
                    without = " ".join(rest.replace(m.group("to_bring"), " ", 1).split())
                    # Asked of little else (要带参保凭证吗), it is still what is asked of.
                    rest = without if sum(map(len, HANZI_RUN.findall(without))) > 2 else rest
        if self._asks_for_venue is not None:
            for m in self._asks_for_venue.finditer(text):
                found.append((m.start(), Aspect.WHERE))
                # The place asked about is not the service asked for: 新生儿参保在医院能办吗 is
                # 新生儿参保's, not which hospitals take 医保.
                venue = m.group("after") or m.group("before")
                rest = _without_venue(rest, venue)
        return found, rest

    def _asked_by_sound(self, text: str, rest: str) -> tuple[list[tuple[int, Aspect]], str]:
        """Aspect words heard in other characters or typed in pinyin, after everything found in
        writing; each is taken out of the rest."""
        found = []
        syllables = pinyin_of(rest)
        spoken = f" {' '.join(syllables)} "
        # Taking a word out of the rest leaves no syllable it did not hold.
        starting = self._sound_starting
        possible = sorted(at for s in set(syllables) if s in starting for at in starting[s])
        for sound, aspect, content in map(self._by_sound.__getitem__, possible):
            if sound in spoken:
                written = written_as(rest, sound.strip())
                if written is None:
                    continue
                at = rest.index(written)
                if self._named_not_asked(rest, at, written, aspect):
                    continue
                if not written.isascii() and _inside_any(rest, at, written, self._sound_alikes):
                    continue
                if not written.isascii() and (
                    _ACROSS_WORDS.search(written) or self._inside_a_name(text, written)
                ):
                    continue
                if content or written.isascii():
                    found.append((len(text) + at, aspect))
                    rest = " ".join(rest.replace(written, " ").split())
                    spoken = f" {' '.join(pinyin_of(rest))} "
        return found, rest

    def _named_not_asked(self, text: str, start: int, word: str, aspect: Aspect) -> bool:
        """The aspect's word names a thing rather than asks for it: one being changed (改联系电话)
        or a thing's own number (身份证号码, 社保卡号码 are not a phone asked for)."""
        numbered = aspect is Aspect.PHONE and text[:start].endswith(self._numbered)
        end = start + len(word)
        # 交到哪年了, 到哪天: which year or day, not which place.
        when = word.endswith("哪") and _WHICH_TIME.match(text, end) is not None
        # 前几天在长沙急诊, 这几天: when something happened, not how long it takes.
        past = word.startswith("几") and text[:start].endswith(_SOME_DAYS)
        return numbered or when or past or self._changed(text, start, word, aspect)

    def _inside_a_name(self, text: str, written: str) -> bool:
        """Heard inside a service's name the text holds (死亡停保's 亡停), or, heard otherwise
        than an aspect's word is written, a word of such a name (资助 of 参保资助, not 自助)."""
        homophone = written not in self._by_word
        return any(
            written in name and (name in text or homophone)
            for name in self._names
            if name != written
        )

    def _changed(self, text: str, start: int, word: str, aspect: Aspect) -> bool:
        """A thing named (电话, 地址), not asked for, when the words next to it change it:
        改医保登记的联系电话, 搬了新地址, 电话换了, phone number 换了."""
        if aspect not in _CHANGEABLE or not _content_word(word):
            return False
        before = text[max(0, start - _CHANGE_REACH) : start].rsplit(" ", 1)[-1]
        if before.endswith(_WHICH):
            return False  # 要改找哪个电话问: which one is asked, whatever is changed
        after = _LEADING_ENGLISH.sub("", text[start + len(word) :])[:_CHANGE_REACH]
        after = after.split(" ", 1)[0]  # the same clause: 电话在外地能改不, phone number 换了
        return any(change in before or change in after for change in self._changes)
