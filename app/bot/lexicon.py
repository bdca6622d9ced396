"""The bot's lexicon (knowledge/lexicon/): how citizens name services, ask, and mention places."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.bot.normalize import Normalizer
from app.bot.segment import split_pinyin
from app.guides.loader import Problem, parse_record, read_yaml


class Aspect(StrEnum):
    """What a question asks about a service."""

    MATERIALS = "materials"
    TIME_LIMIT = "time_limit"
    WHERE = "where"
    PHONE = "phone"
    CONDITIONS = "conditions"
    PROCESS = "process"
    CHANNEL = "channel"
    VALIDITY = "validity"
    FEE = "fee"
    GENERAL = "general"


@dataclass(frozen=True, slots=True)
class ServiceTerms:
    phrases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # A sub-item's name as the guides give it → what people call it (参保人死亡 → 死亡): the
    # sub-item is then told apart by those words too.
    sub_items: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Asked by hospitals and pharmacies themselves (定点协议, 费用结算), never by their patients.
    institutions: bool = False


@dataclass(frozen=True, slots=True)
class Family:
    """Services a vague word could mean (备案 → the five kinds): the bot asks back."""

    name: str
    triggers: tuple[str, ...]
    services: tuple[str, ...]
    # The members asked about when nothing else is said (报销: 门诊, 住院); the rest are special
    # cases the question names (生育, 救助). Empty: all are as likely.
    usual: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaceMarkers:
    insured_before: tuple[str, ...] = ()
    insured_after: tuple[str, ...] = ()
    elsewhere_before: tuple[str, ...] = ()
    elsewhere_after: tuple[str, ...] = ()
    # 去经开区办…: going somewhere to do the errand there makes it the place that answers.
    errand_after: tuple[str, ...] = ()
    # 我是大理人, 户口在大理: where someone is from, the weakest hint of where they are insured.
    hometown_before: tuple[str, ...] = ()
    native_before: tuple[str, ...] = ()
    native_after: tuple[str, ...] = ()
    in_province: tuple[str, ...] = ()  # the province's cities without a guide: its guide answers
    # Counties known only by their full name, the bare one being an everyday word (安宁市, 富民县).
    whole_only: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()  # places beyond every guide's region: somewhere else (外地)
    # 转回来: the insurance moves to the place we know; one beyond is where it comes from.
    moving_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Speech:
    aspects: dict[str, tuple[str, ...]]
    fillers: tuple[str, ...] = ()
    places: PlaceMarkers = field(default_factory=PlaceMarkers)
    ordinals: tuple[tuple[str, ...], ...] = ()
    confirmations: tuple[str, ...] = ()  # 是的: yes to the one service offered
    declines: tuple[str, ...] = ()  # 都不是: none of the services offered
    topic: tuple[str, ...] = ()  # words that say a question is about 医保 at all
    changes: tuple[str, ...] = ()  # 改, 换: what follows is the thing changed, not asked for
    sound_alikes: tuple[str, ...] = ()  # 事先: an everyday word, not 时限 heard amiss
    documents: tuple[str, ...] = ()  # 证明, 表: "要…证明吗" asks what to bring
    numbered: tuple[str, ...] = ()  # 身份证, 卡: the 号码 after one is its number, not a phone
    venues: tuple[str, ...] = ()  # 医院, 银行: "在医院就能办吗" asks where
    identities: tuple[str, ...] = ()  # 灵活就业, 低保户: who someone is, not what they ask for
    kinds: tuple[str, ...] = ()  # 退休: a kind of person a service is for that names it too
    offices: tuple[str, ...] = ()  # 医保局: a phone asked of one is the offices' phone table
    compares: tuple[str, ...] = ()  # 区别, 一回事: how two services differ
    together: tuple[str, ...] = ()  # 两件事, 顺便问: two services asked of at once
    actions: tuple[str, ...] = ()  # 认定, 报销: what a service does, as its name ends
    small_talk: tuple[str, ...] = ()  # 谢谢, 机器人: said to the bot, not asked of 医保
    treated: tuple[str, ...] = ()  # 住院, 抢救: someone was treated, so a patient's side asks
    staff: tuple[str, ...] = ()  # 我们医院, 医保科: a hospital's or pharmacy's own staff ask


@dataclass(frozen=True, slots=True)
class ServicesFile:
    families: tuple[Family, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    beyond_guides: tuple[str, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    generalizations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EnglishFile:
    dropped: tuple[str, ...] = ()
    glossary: dict[str, str] = field(default_factory=dict)

    def translations(self) -> dict[str, str]:
        """Each phrase → its Chinese, a dropped one → nothing."""
        return {**dict.fromkeys(self.dropped, ""), **self.glossary}


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    services: dict[str, ServiceTerms]
    families: tuple[Family, ...]
    out_of_scope: tuple[str, ...]
    beyond_guides: tuple[str, ...]  # what people ask of a service that no guide states (比例)
    synonyms: dict[str, tuple[str, ...]]  # the guides' word → everyday words for it
    # A special case → the general service that covers it where a region's guides lack the
    # special one (大学生参保登记 → 城乡居民参保登记, whose 岳阳 guide lists 在校学生).
    generalizations: dict[str, str]
    speech: Speech
    version: str
    # English phrase → the words the rest of the lexicon reads (how long → 多久), or nothing
    # (the, please).
    english: dict[str, str]

    def aspect_words(self) -> dict[Aspect, tuple[str, ...]]:
        return {Aspect(name): words for name, words in self.speech.aspects.items()}


class LexiconError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the lexicon")
        self.problems = problems


_LISTS = ("families", "out_of_scope", "beyond_guides", "synonyms", "generalizations")


def _services(raw: Any, file: str, problems: list[Problem]) -> tuple[dict[str, ServiceTerms], Any]:
    if not isinstance(raw, dict):
        problems.append(Problem(file, "应为映射"))
        return {}, {}
    rest = {key: raw[key] for key in _LISTS if key in raw}
    services: dict[str, ServiceTerms] = {}
    for service, terms in raw.items():
        if service in rest:
            continue
        parsed, found = parse_record(terms, ServiceTerms, file=f"{file}:{service}")
        problems.extend(found)
        if parsed is not None:
            services[str(service)] = parsed
    return services, rest


def read_lexicon(
    lexicon_dir: Path, catalog: set[str], sub_items: Mapping[str, Collection[str]] | None = None
) -> tuple[Lexicon | None, list[Problem]]:
    """Load and validate the lexicon against the catalog and, where given, the sub-items each
    service's guides name; every problem is listed."""
    problems: list[Problem] = []
    services_path, speech_path = lexicon_dir / "services.yaml", lexicon_dir / "speech.yaml"
    digest = hashlib.blake2b(digest_size=12)
    raw_services: Any = {}
    if services_path.exists():
        raw_services, found = read_yaml(services_path)
        problems.extend(found)
        digest.update(services_path.read_bytes())
    raw_speech, found = read_yaml(speech_path)
    problems.extend(found)
    digest.update(speech_path.read_bytes())
    english, found = _read_english(lexicon_dir / "english.yaml", digest)
    problems.extend(found)
    if english is not None:
        translate = Normalizer((), None, english.translations())
        for path, raw in ((services_path, raw_services), (speech_path, raw_speech)):
            problems.extend(_translated_terms(raw, translate, catalog, str(path)))
    services, rest = _services(raw_services or {}, str(services_path), problems)
    extra, found = parse_record(rest, ServicesFile, file=str(services_path))
    problems.extend(found)
    speech, found = parse_record(raw_speech, Speech, file=str(speech_path))
    problems.extend(found)
    known_aspects = {a.value for a in Aspect}
    for name in speech.aspects if speech else ():
        if name not in known_aspects:
            problems.append(Problem(f"{speech_path}:aspects.{name}", "未知的问题类型"))
    problems.extend(_unknown_services(services, extra, catalog, sub_items, str(services_path)))
    if speech is not None:
        unfilled = Normalizer(speech.fillers)
        problems.extend(_edge_fillers(raw_services, unfilled, str(services_path)))
    if problems or speech is None or extra is None or english is None:
        return None, problems
    lexicon = Lexicon(
        services,
        extra.families,
        extra.out_of_scope,
        extra.beyond_guides,
        extra.synonyms,
        extra.generalizations,
        speech,
        digest.hexdigest(),
        english.translations(),
    )
    return lexicon, problems


def _unknown_services(
    services: dict[str, ServiceTerms],
    extra: ServicesFile | None,
    catalog: set[str],
    sub_items: Mapping[str, Collection[str]] | None,
    file: str,
) -> Iterator[Problem]:
    """Services the catalog does not have, and sub-items no guide of theirs names."""
    named = set(services) | {s for f in (extra.families if extra else ()) for s in f.services}
    for family in extra.families if extra else ():
        for service in sorted(set(family.usual) - set(family.services)):
            yield Problem(file, f"{family.name} 的 usual 里的 {service} 不是它的成员")
    named |= {s for pair in (extra.generalizations.items() if extra else ()) for s in pair}
    for service in sorted(named - catalog):
        yield Problem(file, f"{service} 不在 catalog.tsv 中")
    for service, terms in services.items():
        known = set(sub_items.get(service, ())) if sub_items is not None else set(terms.sub_items)
        for name in sorted(set(terms.sub_items) - known):
            yield Problem(f"{file}:{service}", f"子项 {name} 不在 {service} 的任何指南里")


def _read_english(path: Path, digest: Any) -> tuple[EnglishFile | None, list[Problem]]:
    """The glossary, if the lexicon has one, and its problems."""
    if not path.exists():
        return EnglishFile(), []
    raw, problems = read_yaml(path)
    digest.update(path.read_bytes())
    english, found = parse_record(raw or {}, EnglishFile, file=str(path))
    return english, [*problems, *found, *_glossary_problems(english, str(path))]


_ENGLISH_PHRASE = re.compile(r"[a-z][a-z '&-]*")
_HANZI_OR_NOTHING = re.compile(r"[\u4e00-\u9fff]*")
_LATIN = re.compile(r"[A-Za-z]")
_UNTRANSLATED = Normalizer(())


def _glossary_problems(english: EnglishFile | None, file: str) -> Iterator[Problem]:
    """An English phrase in lower case, put into Chinese or dropped; never one that reads as one
    or two pinyin syllables (can, long, name), which typed pinyin also is."""
    if english is None:
        return
    listed = [(f"dropped.{phrase}", phrase, "") for phrase in english.dropped]
    listed += [
        (f"glossary.{phrase}", phrase, chinese) for phrase, chinese in english.glossary.items()
    ]
    for key, phrase, chinese in listed:
        where = f"{file}:{key}"
        if not _ENGLISH_PHRASE.fullmatch(phrase):
            yield Problem(where, "英文短语应为小写字母（可含空格、'、-、&）")
            continue
        words = [split_pinyin(word) for word in re.findall(r"[a-z]+", phrase)]
        heard = [syllable for word in words if word is not None for syllable in word]
        if None not in words and len(heard) <= 2:
            yield Problem(where, f"读作拼音 {' '.join(heard)}，会把打拼音的问题也翻译掉")
        if not _HANZI_OR_NOTHING.fullmatch(chinese):
            yield Problem(where, "译文应为汉字")


def load_lexicon(
    lexicon_dir: Path, catalog: set[str], sub_items: Mapping[str, Collection[str]] | None = None
) -> Lexicon:
    lexicon, problems = read_lexicon(lexicon_dir, catalog, sub_items)
    if lexicon is None:
        raise LexiconError(problems)
    return lexicon


def _strings(raw: Any) -> Iterator[str]:
    """Every string a YAML document holds, in its lists and as its mappings' values."""
    if isinstance(raw, dict):
        for value in raw.values():
            yield from _strings(value)
    elif isinstance(raw, list):
        for value in raw:
            yield from _strings(value)
    elif isinstance(raw, str):
        yield raw


def _edge_fillers(raw: Any, unfilled: Normalizer, file: str) -> Iterator[Problem]:
    """Terms that begin or end with a filler word (那个报得多): questions lose it, so the term
    is matched without it, as something broader than it says."""
    for term in _strings(raw):
        read = unfilled(term)
        if read != _UNTRANSLATED(term):
            yield Problem(file, f"{term} 首尾是语气词，问题里会被去掉，实际按“{read}”匹配：请改写")


def _translated_terms(
    raw: Any, translate: Normalizer, catalog: set[str], file: str
) -> Iterator[Problem]:
    """English in the other lists that the glossary translates: questions reach them translated,
    so such a term would never be found as written. The glossary is the one place for it."""
    for term in _strings(raw):
        if term in catalog or not _LATIN.search(term):
            continue
        translated = translate(term)
        if translated != _UNTRANSLATED(term):
            yield Problem(
                file, f"{term} 经 english.yaml 译为 {translated}：请写中文，英文只放在 english.yaml"
            )
