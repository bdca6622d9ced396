"""Which service a question is about: lexical matching over every way the service is named.

Each service is known by phrases (the catalog's name, each guide's name and sub-item names, the
lexicon's colloquial phrases). A question and a phrase are compared by features: characters and
character pairs, jieba words, and pinyin syllable pairs (speech errs by sound, and people type
pinyin). Features are weighted by how few services share them (IDF). A service scores by how much
of its best phrase the question covers and how much of the question the service explains; the
better of the character and the pinyin reading counts. rapidfuzz re-scores a short list for typos.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from app.bot.lexicon import Family, Lexicon
from app.bot.normalize import ENGLISH_WORD, as_word
from app.bot.segment import Segmenter, pinyin_of, split_pinyin, written_as
from app.chinese_text import HANZI_RUN
from app.guides.kb import KnowledgeBase

UNHEARD_WORD = 1.0  # an English word no phrase knows: about a common character pair's weight
# Sentence particles, and the suffix 子, which ends the word before it (房子, 啥子): heard with
# the next word they would sound like another (房子住 like 资助).
_PARTICLES = re.compile("[吗嘛呢吧啊呀哦嘞哈噢咯哟子]")
UNIGRAM_WEIGHT = 0.5  # a single character is weak evidence next to a pair or a word
EVIDENCE = 2.5  # feature weight a match needs before it is trusted fully (≈ one telling pair)
PINYIN_DISCOUNT = 0.9  # a reading by sound is slightly less sure than one by characters
# A name two services share (停保 is 灵活就业's sub-item and 城乡居民's) is weaker evidence for
# either than a name of its own: 退休老人去世了…停保 is 退休人员死亡停保, not a bare 停保.
SHARED_NAME_DISCOUNT = 0.85
FUZZY_SHORTLIST = 8
FUZZY_CEILING = 0.85  # a fuzzy match counts as at most this: a typo leaves some doubt
FUZZY_CUTOFF = 80  # rapidfuzz partial_ratio (0–100) below which a phrase is not what was typed
SUB_ITEM_COVERAGE = 0.6  # of a sub-item's name the question must hold to mean that sub-item
LEADING_SERVICES = 16  # services a scoring reports, best first
# A shorter term heard by sound alone is too often two halves of other words (己垫了 ≠ 几点了).
HOMOPHONE_SYLLABLES = 3
# How much a service's best phrase being covered counts, against how much of the question the
# service explains.
COVERAGE_WEIGHT = 0.6
EXPLAINS_MORE = 1.25  # this much more of the question explained breaks a near tie
DOMINANT_REACH, EXPLAINS_FAR_MORE = 0.12, 2.5  # ...and this much more, a wider gap
SUBSUMING_REACH = 0.2  # a longer name this far below one it holds is still its reading
ACTION_REACH = 0.3  # a service this far below the leader still wins by the action said
KIND_REACH = 0.4  # ...and by the kind of person one says one is (刚退休…长住: the retirees')
ATTESTING_COVERAGE = 0.4  # of a phrase the question must hold for the phrase to explain it
# A long question is not one service: explaining this much of it counts as explaining it all.
EXPLAIN_CAP = 20.0
# Without who the person is (新生儿, 灵活就业), the rest of the question must score this much to
# name a service of its own instead: a little above the answering threshold.
REST_NAMES = 0.6
# A name this long, said whole, names its service: not a word or two that happen to be in it.
_WHOLE_NAME = 4


@dataclass(frozen=True, slots=True)
class Phrase:
    service: str
    text: str
    variant: str | None  # a sub-item id, when the phrase is a sub-item's name


@dataclass(frozen=True, slots=True)
class Match:
    service_id: str
    score: float
    matched_text: str
    variant: str | None = None
    explained: float = 0.0  # weight of the question's features the service's phrases hold
    instead_of: str | None = None  # the special case asked, which the region's guides lack


@dataclass(frozen=True, slots=True)
class MatchResult:
    best: Match | None
    candidates: tuple[Match, ...]
    needs_clarification: bool
    family: str | None = None


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Answer above `high`; between the two, offer the closest; below `low`, hand off."""

    high: float = 0.55
    low: float = 0.3
    margin: float = 0.06  # top two closer than this → ask which one
    family_lead: float = 0.15  # a family member this far ahead of the next is the one meant
    off_topic: float = 0.7  # a question that also names an off-topic subject (养老保险) needs this


class _Index:
    """Features → phrases that have them, with IDF weights computed over services.

    Every phrase is indexed in each reading (as written, as heard), and one pass scores a
    question in all of them: scoring touches most phrases (a common character is in hundreds),
    so it runs as numpy array arithmetic over every phrase reading at once, and what it costs is
    mostly the number of numpy calls, not the number of phrases. A row is one phrase in one
    reading; a group, a service in one reading, is reading × services + service. Rows are
    numbered group by group, so each group's rows are one slice.
    """

    def __init__(
        self,
        readings: list[list[frozenset[str]]],
        discounts: list[float],
        phrases: list[Phrase],
    ) -> None:
        self.services = sorted({p.service for p in phrases})
        number = {service: i for i, service in enumerate(self.services)}
        self.phrase_count, service_count = len(phrases), len(self.services)
        self.readings, self.service_count = len(readings), service_count
        total = service_count or 1
        service_of = np.array([number[p.service] for p in phrases], dtype=np.int64)
        # Row order: by group, and within a group by phrase, so "the first best row of a group"
        # is the phrase listed first.
        group_of_phrase_row = np.concatenate(
            [service_of + reading * service_count for reading in range(len(readings))]
        )
        order = np.argsort(group_of_phrase_row, kind="stable")
        row_of = np.empty_like(order)
        row_of[order] = np.arange(len(order))
        self.phrase_of_row = order % max(self.phrase_count, 1)
        self.group_of = group_of_phrase_row[order]
        self.starts = np.flatnonzero(np.r_[True, self.group_of[1:] != self.group_of[:-1]])
        self.positions = np.arange(len(order))
        rows_total = len(order)
        having: dict[str, tuple[int, set[int], list[int]]] = {}
        masses = []
        self.weight: dict[str, float] = {}
        for reading, phrase_features in enumerate(readings):
            services_having: dict[str, set[int]] = defaultdict(set)
            rows: dict[str, list[int]] = defaultdict(list)
            for index, features in enumerate(phrase_features):
                for feature in features:
                    services_having[feature].add(int(service_of[index]))
                    rows[feature].append(int(row_of[reading * self.phrase_count + index]))
            for feature, services in services_having.items():
                weight = math.log(1 + total / len(services))
                self.weight[feature] = weight * (UNIGRAM_WEIGHT if feature[0] in "cq" else 1.0)
                having[feature] = (reading, services, rows[feature])
            # fsum: exact, so a phrase's mass does not depend on the order a set hands out its
            # features.
            masses += [math.fsum(self.weight[f] for f in fs) or 1.0 for fs in phrase_features]
        # Each feature's targets in one array: its rows, then its groups past the rows, so one
        # bincount sums what a question matches of each phrase and explains of each service.
        self._feature_id = {feature: i for i, feature in enumerate(sorted(having))}
        self._targets: list[Any] = []
        self._reading: list[int] = []
        weights, lengths = [], []
        for feature in sorted(having):
            reading, services, its_rows = having[feature]
            groups = [rows_total + reading * service_count + s for s in sorted(services)]
            self._targets.append(np.array(sorted(its_rows) + groups, dtype=np.int64))
            self._reading.append(reading)
            weights.append(self.weight[feature])
            lengths.append(len(its_rows) + len(groups))
        self._weights = np.array(weights, dtype=np.float64)
        self._weight_list = weights  # read one by one in Python: a list, not numpy's scalars
        self._lengths = np.array(lengths, dtype=np.int64)
        mass_of_row = np.array(masses, dtype=np.float64)[order]
        # Groups have no mass of their own: their "coverage" is 0, never well matched.
        self._mass = np.r_[mass_of_row, np.full(self.readings * service_count, np.inf)]
        self._rows_total = rows_total
        services_named: dict[str, set[str]] = defaultdict(set)
        for phrase in phrases:
            services_named[phrase.text].add(phrase.service)
        shared = [SHARED_NAME_DISCOUNT if len(services_named[p.text]) > 1 else 1.0 for p in phrases]
        self.discount = (
            np.repeat(np.array(discounts, dtype=np.float64), self.phrase_count)
            * np.tile(np.array(shared, dtype=np.float64), len(readings))
        )[order]
        self._group_of_target = np.r_[self.group_of, np.arange(self.readings * service_count)]

    def scores(
        self, queries: Iterable[frozenset[str]], *, unheard: float = 0.0
    ) -> dict[str, tuple[float, int, float]]:
        """service → (score, index of its best phrase, weight of the query it explains in that
        phrase's reading) for the leading services the query touches, in the reading that
        scores it best (the first on a tie); one set of features per reading. `unheard` is the
        weight of what the query says that no phrase knows (English words), which none
        explains."""
        feature_id = self._feature_id
        known = [feature_id[f] for query in queries for f in query if f in feature_id]
        if not known:
            return {}
        # Sorted: float sums in one order, so exact ties fall the same way whatever the hash seed.
        known.sort()
        mass = [unheard] * self.readings
        weight, reading_of = self._weight_list, self._reading
        for feature in known:
            mass[reading_of[feature]] += weight[feature]
        weights = self._weights[known]
        targets = np.concatenate([self._targets[feature] for feature in known])
        summed = np.bincount(
            targets, np.repeat(weights, self._lengths[known]), minlength=len(self._mass)
        )
        rows = self._rows_total
        matched = summed[:rows]
        # A reading the query has no known feature in explains nothing of it (0 of 1, not 0 of 0).
        reach = np.array([min(m, EXPLAIN_CAP) or 1.0 for m in mass])[:, np.newaxis]
        explained = summed[rows:].reshape(self.readings, self.service_count)
        explains = np.minimum(1.0, explained / reach).ravel()[self.group_of]
        coverage = summed / self._mass
        # Nothing matched scores nothing: the evidence factor is then zero.
        score = (
            (COVERAGE_WEIGHT * coverage[:rows] + (1 - COVERAGE_WEIGHT) * explains)
            * np.minimum(1.0, matched / EVIDENCE)
            * self.discount
        )
        best_of = np.maximum.reduceat(score, self.starts)
        # Each group's best row: the first of its group that reaches the group's best.
        reaches = score == best_of[self.group_of]
        first = np.minimum.reduceat(np.where(reaches, self.positions, rows), self.starts)
        attested = self._attested(targets, known, coverage)
        # Per service, the reading that scores it best; the first reading on a tie.
        by_reading = best_of.reshape(self.readings, self.service_count)
        reading = np.argmax(by_reading, axis=0)
        services = np.arange(self.service_count)
        best = by_reading[reading, services]
        group = reading * self.service_count + services
        # Only the leading services matter to any decision.
        leading = np.argsort(-best, kind="stable")[:LEADING_SERVICES].tolist()
        best_list = best.tolist()
        phrase_list = self.phrase_of_row[first[group]].tolist()
        attested_list = attested[group].tolist()
        return {
            self.services[service]: (
                best_list[service],
                phrase_list[service],
                attested_list[service],
            )
            for service in leading
            if best_list[service] > 0.0
        }

    def _attested(self, targets: Any, known: list[int], coverage: Any) -> Any:
        """Per group, the weight of the query's features that its well-matched rows hold: a
        feature counts only through a phrase the question mostly covers, not through any of a
        service's many phrases that happens to share a word with it."""
        of_feature = np.repeat(np.arange(len(known)), self._lengths[known])
        well = coverage[targets] >= ATTESTING_COVERAGE  # never a group: theirs is 0
        holds = np.zeros((len(self.starts), len(known)), dtype=bool)
        holds[self._group_of_target[targets[well]], of_feature[well]] = True
        return holds @ self._weights[known]


@dataclass(frozen=True, slots=True)
class Institutions:
    """The services hospitals and pharmacies ask for themselves (定点协议, 费用结算), and how a
    question tells that it is not them asking: someone was treated (住进医院了…能不能直接结算
    is a patient's), and no staff of theirs speaks (我们医院, 医保科)."""

    services: frozenset[str] = frozenset()
    treated: re.Pattern[str] | None = None
    staff: re.Pattern[str] | None = None

    def not_asking(self, text: str) -> bool:
        if not self.services or self.treated is None or not self.treated.search(text):
            return False
        return self.staff is None or not self.staff.search(text)


class Matcher:
    """Built once per knowledge-base and lexicon version; `match` is read-only and thread-safe."""

    def __init__(
        self,
        phrases: list[Phrase],
        segmenter: Segmenter,
        families: tuple[Family, ...],
        thresholds: Thresholds,
        synonyms: dict[str, tuple[str, ...]] | None = None,
        identities: Iterable[str] = (),
        sub_item_aliases: dict[tuple[str, str], tuple[str, ...]] | None = None,
        kind_of: dict[str, str] | None = None,
        action_of: dict[str, str] | None = None,
        institutions: Institutions | None = None,
    ) -> None:
        self.phrases = phrases
        self._institutions = institutions or Institutions()
        who = sorted({i for i in identities if i}, key=lambda i: (-len(i), i))
        self._identities = re.compile("|".join(map(re.escape, who))) if who else None
        # The kind of person a service is for, as its name says (灵活就业人员参保登记: 灵活就业).
        self._kind_of = kind_of or {}
        # Who the services are for, which a question may say one is not (还没退休).
        self.kinds = frozenset({*who, *self._kind_of.values()})
        self._action_of = action_of or {}  # 门诊慢特病病种待遇认定: 认定
        # 没备案, 也没办备案, 没来得及备案: an action said not done, which the question does not
        # ask for.
        actions = "|".join(map(re.escape, sorted(set(self._action_of.values()), key=len)[::-1]))
        self._undone = (
            re.compile(
                f"(?:(?:没有|没|未|莫得|冇)(?:来得及|及时|提前|事先)?|来不及)(?:办|去办|做)?(?:{actions})"
            )
            if actions
            else None
        )
        self._canonical_of = {v: c for c, variants in (synonyms or {}).items() for v in variants}
        everyday = sorted(self._canonical_of, key=len, reverse=True)
        self._everyday = _words_pattern(everyday) if everyday else None
        self.segmenter = segmenter
        self.families = families
        self.thresholds = thresholds
        self._index = _Index(
            [
                [self._hanzi_features(p.text) for p in phrases],
                [_pinyin_features(pinyin_of(p.text)) for p in phrases],
            ],
            [1.0, PINYIN_DISCOUNT],
            phrases,
        )
        # The guides' words that everyday words stand for, read once here rather than per question.
        self._canonical_features = {
            canonical: (self._hanzi_features(canonical), _pinyin_features(pinyin_of(canonical)))
            for canonical in set(self._canonical_of.values())
        }
        self._typo_candidates = _TypoCandidates(phrases)
        self._family_spotters = [(family, Spotter(family.triggers)) for family in families]
        self._sub_items: dict[str, list[tuple[str, dict[str, float]]]] = defaultdict(list)
        self._sub_item_names = {(p.service, p.text) for p in phrases if p.variant is not None}
        named: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        aliases = sub_item_aliases or {}
        for phrase in phrases:
            if phrase.variant is not None:
                for name in (phrase.text, *aliases.get((phrase.service, phrase.text), ())):
                    named[phrase.service].append((phrase.variant, self._hanzi_features(name)))
        for service, names in named.items():
            # What tells a service's sub-items apart: a feature in every one of their names
            # (灵活就业人员…登记) says nothing about which is meant.
            ids = {variant for variant, _ in names}
            having: dict[str, set[str]] = defaultdict(set)
            for variant, features in names:
                for feature in features:
                    having[feature].add(variant)
            for variant, features in names:
                weights = {f: math.log((len(ids) + 1) / len(having[f])) for f in features}
                self._sub_items[service].append((variant, weights))

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        lexicon: Lexicon,
        segmenter: Segmenter,
        *,
        normalize: Callable[[str], str],
        thresholds: Thresholds | None = None,
    ) -> Matcher:
        """Index every name of every service: catalog, guides, sub-items, lexicon."""
        phrases = [
            Phrase(p.service, normalize(p.text), p.variant)
            for p in _service_phrases(kb, lexicon)
            if normalize(p.text)
        ]
        unique = list(dict.fromkeys(phrases))
        synonyms = {
            normalize(canonical): tuple(normalize(v) for v in variants if normalize(v))
            for canonical, variants in lexicon.synonyms.items()
        }
        identities = [normalize(i) for i in lexicon.speech.identities]
        aliases = {
            (service, normalize(name)): tuple(normalize(a) for a in also)
            for service, terms in lexicon.services.items()
            for name, also in terms.sub_items.items()
        }
        said_kinds = (normalize(kind) for kind in lexicon.speech.kinds)
        kinds = sorted(filter(None, [*identities, *said_kinds]), key=len)
        kind_of, action_of = {}, {}
        for service, entry in kb.catalog.items():
            name = normalize(entry.name)
            kind = next((k for k in kinds if k in name), None)
            if kind is not None:
                kind_of[service] = kind
            said = [(name.find(a), a) for a in lexicon.speech.actions if a in name]
            if said:
                action_of[service] = min(said)[1]  # the first: 信息变更登记 is 变更
        return cls(
            unique,
            segmenter,
            lexicon.families,
            thresholds or Thresholds(),
            synonyms,
            identities,
            aliases,
            kind_of,
            action_of,
            Institutions(
                frozenset(s for s, terms in lexicon.services.items() if terms.institutions),
                _any_of(normalize(w) for w in lexicon.speech.treated),
                _any_of(normalize(w) for w in lexicon.speech.staff),
            ),
        )

    def _hanzi_features(self, text: str) -> frozenset[str]:
        features: set[str] = set()
        for run in HANZI_RUN.findall(text):
            features.update(f"c{char}" for char in run)
            features.update(f"b{run[i : i + 2]}" for i in range(len(run) - 1))
        features.update(f"w{w}" for w in self.segmenter.words(text) if len(w) >= 2)
        return frozenset(features)

    def scores(
        self, text: str, *, sound: tuple[str, ...] | None = None, typos: bool = True
    ) -> dict[str, Match]:
        """Every service the normalised text touches, with its score and best phrase; typos
        re-scored too unless told not to (a check that only needs to know whether any evidence
        is left)."""
        canonical = [self._canonical_features[word] for word in self._canonical_words(text)]
        written = self._hanzi_features(text).union(*(hanzi for hanzi, _ in canonical))
        syllables = _heard(text) if sound is None else sound
        spoken = _pinyin_features(syllables).union(*(heard for _, heard in canonical))
        best = self._index.scores((written, spoken), unheard=self._unheard(text))
        matches: dict[str, Match] = {}
        for service in sorted(best):  # ties in one order every run
            score, at, explained = best[service]
            phrase = self.phrases[at]
            matches[service] = Match(service, score, phrase.text, phrase.variant, explained)
        if self._institutions.not_asking(text):
            matches = {s: m for s, m in matches.items() if s not in self._institutions.services}
        return self._rescore_typos(text, matches) if typos else matches

    def variant_of(self, text: str, service: str, allowed: set[str]) -> str | None:
        """The sub-item of the service the text names (丢了…补办 → 挂失补办), among allowed ids:
        the one whose name the text covers best, when it covers most of it and no other as well."""
        words = self._canonical_words(text)
        query = self._hanzi_features(text).union(*map(self._hanzi_features, words))
        best: dict[str, float] = {}
        for variant, weights in self._sub_items.get(service, ()):
            total = math.fsum(weights.values())
            if variant in allowed and total > 0:
                covered = math.fsum(w for f, w in weights.items() if f in query) / total
                best[variant] = max(covered, best.get(variant, 0.0))
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        if not ranked or ranked[0][1] < SUB_ITEM_COVERAGE:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < self.thresholds.margin:
            return None
        return ranked[0][0]

    def _unheard(self, text: str) -> float:
        """The weight of the English the base does not know (python, script): one word shared
        with a phrase (list in drug list) does not explain a question made of such words."""
        plain = self._everyday.sub(" ", text) if self._everyday is not None else text
        return UNHEARD_WORD * sum(
            1
            for word in ENGLISH_WORD.findall(plain)
            if f"w{word}" not in self._index.weight and split_pinyin(word) is None
        )

    def _said(self, text: str) -> str:
        """The question, with the guides' words for its everyday ones (clinic: 医疗机构)."""
        return " ".join((text, *self._canonical_words(text)))

    def _canonical_words(self, text: str) -> list[str]:
        """The guides' words for what the text says in everyday words (药店 → 零售药店)."""
        if self._everyday is None:
            return []
        found = dict.fromkeys(self._canonical_of[m.group()] for m in self._everyday.finditer(text))
        return [canonical for canonical in found if canonical not in text]

    def _rescore_typos(self, text: str, matches: dict[str, Match]) -> dict[str, Match]:
        """A wrong character breaks two pairs; rapidfuzz still sees the phrase, on a short list."""
        compact = text.replace(" ", "")
        shortlist = sorted(matches.values(), key=lambda m: m.score, reverse=True)[:FUZZY_SHORTLIST]
        # No fuzzy score could beat a match at the ceiling.
        services = [m.service_id for m in shortlist if m.score < FUZZY_CEILING]
        candidates = self._typo_candidates.of(compact, services) if services else []
        if not candidates:
            return matches
        # One call for the whole short list: rapidfuzz's own cost is mostly per call.
        ratios = process.cdist(
            [compact],
            [phrase.text for phrase in candidates],
            scorer=fuzz.partial_ratio,
            processor=None,
            score_cutoff=FUZZY_CUTOFF,
            dtype=np.float64,
        )[0].tolist()
        best: dict[str, tuple[float, Phrase]] = {}
        for ratio, phrase in zip(ratios, candidates, strict=True):
            # The first of the best, of those rapidfuzz kept.
            if ratio >= FUZZY_CUTOFF and ratio > best.get(phrase.service, (0.0,))[0]:
                best[phrase.service] = (ratio, phrase)
        for service, (ratio, phrase) in best.items():
            fuzzy = ratio / 100 * FUZZY_CEILING
            match = matches[service]
            if fuzzy > match.score:
                matches[service] = Match(
                    service, fuzzy, phrase.text, phrase.variant, match.explained
                )
        return matches

    def _family_word(
        self, text: str, *, sound: tuple[str, ...] | None = None
    ) -> tuple[Family | None, str, str]:
        """The family named, the rest of the text without its word, and the word as written
        (empty when only heard): a word written as it is, or typed in pinyin (yidi beian), before
        one only heard (缴医保 sounds like 交医保), the longer word first."""
        found = [
            (
                (_as_meant(spotted), len(spotted.term), -index),
                family,
                spotted,
            )
            for index, (family, spotter) in enumerate(self._family_spotters)
            if (spotted := spotter.find(text, sound=sound)) is not None
        ]
        if not found:
            return None, text, ""
        _, family, spotted = max(found, key=lambda f: f[0])
        written = spotted.written or ""
        rest = " ".join(text.replace(written, " ").split()) if written else text
        return family, rest, written

    def _only_the_family_word(self, ranked: list[Match], text: str, word: str, rest: str) -> bool:
        """The leading member is named by nothing but the family word (异地备案 is in every
        备案 kind's name): without the word, the rest of the question does not point to it. Not
        when the question says the leader's phrase whole and it is more than the word (医疗救助
        报销, whose 报销 alone would name any claim)."""
        if not ranked:
            return True
        # The member a plain question would be answered with (异地急诊备案: 急诊's, not 转诊's
        # that scores a little higher on 诊备案 alone).
        leader = self._settle(ranked, text)[0]
        said = leader.matched_text
        if word and word in said and len(said) > len(word) and said in text:
            return False
        without = self.scores(rest, typos=False).get(leader.service_id) if rest else None
        return without is None or without.score < self.thresholds.low

    def match(self, text: str, *, limit: int = 3) -> MatchResult:
        """The best service for normalised text, close alternatives, and whether to ask back.

        Who the person is (灵活就业, 低保户) is context: a service that only those words name
        gives way to one the rest of the question names (灵活就业的能领生育津贴吗 is 生育津贴).
        """
        result = self._match(text, limit)
        without = self._identities.sub(" ", text) if self._identities else text
        if without == text:
            return result
        named = (result.best,) if result.best is not None else result.candidates
        left = self.scores(without, typos=False) if without.strip() else {}
        low = self.thresholds.low
        # Carried by who the person is: without those words, the service is hardly named.
        carried = {
            m.service_id
            for m in named
            if (m.service_id not in left or left[m.service_id].score < low)
            and not self._joined(m, text)
        }
        if not carried:
            return self._told_apart_by_who(text, result) or result
        rest = self._match(" ".join(without.split()), limit)
        # ...and names it clearly: 新生儿医保 前要交费 is not a 单位's arrears.
        if rest.best is None or rest.best.service_id in carried or rest.best.score < REST_NAMES:
            return result
        # A sub-item of its own that accounts for more of the question than who the person is
        # (新生儿无卡结算: 城乡居民参保's 开通无卡结算), whoever it is for.
        sub_item = (rest.best.service_id, rest.best.matched_text) in self._sub_item_names
        if sub_item and all(rest.best.explained > m.explained for m in named):
            return rest
        # Within a family the person's kind is the choice itself (新生儿…参保 is 新生儿参保;
        # 城乡居民医保去哪里办 is 城乡居民参保登记's, where 城乡居民停保 was as close).
        kind = [
            m
            for m in named
            if m.service_id in carried and self.kin(rest.best.service_id, m.service_id)
        ]
        if kind:
            if result.best is None and len(kind) == 1:
                return MatchResult(kind[0], result.candidates, needs_clarification=False)
            return result
        # ...and the rest's service gives way to a kin the whole question names better: 城乡居民医保
        # 上登记错的名字 changes a resident's record, not the 单位's that 变更登记 alone named.
        whole = self.scores(text, typos=False)
        own = whole[rest.best.service_id].score if rest.best.service_id in whole else 0.0
        ahead = [
            m
            for m in whole.values()
            if m.score > own and self.kin(rest.best.service_id, m.service_id)
        ]
        if ahead:
            best = max(ahead, key=lambda m: m.score)
            return MatchResult(best, rest.candidates, needs_clarification=False)
        # The rest must name its service by a phrase it mostly holds, not by a word or two of
        # one (给我妈 of 个人账户给我妈用 is not 给我妈办城乡居民医保).
        return rest if rest.best.explained else result

    def _joined(self, match: Match, text: str) -> bool:
        """Named whole by a phrase that holds who the person is and what is done to it (参城乡居民
        医保, 低保户交医保补贴): there the words name the insurance joined, not the person."""
        said = match.matched_text
        who = self._identities.search(said) if self._identities is not None else None
        return who is not None and len(who.group()) < len(said) and said in text

    def _told_apart_by_who(self, text: str, result: MatchResult) -> MatchResult | None:
        """Close services that the rest of the question names alike, one of them named by who
        the person is (特困人员…零星报销: 医疗救助's, not 住院费用's): that one."""
        if result.best is not None or not result.candidates or self._identities is None:
            return None
        who = self.scores(" ".join(self._identities.findall(text)), typos=False)
        high = self.thresholds.high
        theirs = [
            m for m in result.candidates if m.service_id in who and who[m.service_id].score >= high
        ]
        if len(theirs) != 1:
            return None
        # ...unless another is named whole by a name of its own that says more (城乡居民医保参保人
        # …生育医疗费报销): there who the person is only says which insurance pays.
        own = [
            m
            for m in result.candidates
            if m is not theirs[0]
            and self._named_whole(m, text)
            and m.explained > theirs[0].explained
        ]
        return MatchResult((own or theirs)[0], result.candidates, False) if len(own) <= 1 else None

    def acts_instead(self, one: str, other: str, text: str) -> bool:
        """The question says the other's action (报销) and not the one's (认定)."""
        said = self._said(text)
        mine, theirs = self._action_of.get(one), self._action_of.get(other)
        return theirs is not None and theirs in said and (mine is None or mine not in said)

    def kin(self, one: str, other: str) -> bool:
        """Members of one family (门诊慢特病认定 and 特殊药品认定)."""
        return any(one in f.services and other in f.services for f in self.families)

    def _match(self, text: str, limit: int) -> MatchResult:
        sound = _heard(text)
        scored = self.scores(text, sound=sound)
        ranked = sorted(scored.values(), key=lambda m: m.score, reverse=True)
        limits = self.thresholds
        family, rest, word = self._family_word(text, sound=sound)
        if family is not None and (
            self._family_undecided(ranked, family, text)
            or self._only_the_family_word(ranked, text, word, rest)
        ):
            scored = {m.service_id: m for m in ranked}
            members = sorted(
                (scored.get(s, Match(s, 0.0, "")) for s in family.services),
                key=lambda m: m.score,
                reverse=True,
            )
            # The members the rest of the question also points to (产检…生孩子…津贴), where two
            # or more do; else the family's usual ones with any one named (报销: 门诊 or 住院,
            # not 生育 or 救助 unless said), or every member: nothing else tells them apart.
            # With usual ones, the family word itself names none (报销 is in 生育医疗费报销 and
            # 医疗救助报销 too, which are not offered for a bare 报销).
            pointed = scored
            if family.usual:
                pointed = self.scores(rest, typos=False) if rest else {}
            named = [
                m
                for m in members
                if m.service_id in pointed and pointed[m.service_id].score >= limits.low
            ]
            usual = [m for m in members if m in named or m.service_id in family.usual]
            offered = named if len(named) >= 2 else (usual if family.usual else members)
            return MatchResult(None, tuple(offered), needs_clarification=True, family=family.name)
        if not ranked or ranked[0].score < limits.low:
            return MatchResult(None, tuple(ranked[:limit]), needs_clarification=False)
        top, close = self._settle(ranked, text)
        if top.score >= limits.high and len(close) == 1:
            return MatchResult(top, tuple(ranked[:limit]), needs_clarification=False)
        options = close if len(close) > 1 else ranked[:limit]
        return MatchResult(None, tuple(options[: max(limit, 2)]), needs_clarification=True)

    def _settle(self, ranked: list[Match], text: str) -> tuple[Match, list[Match]]:
        """The leading match of a ranking and those too close to it to tell apart."""
        # A longer name that holds a shorter one's whole and whose rest the question also says
        # (门诊特殊病 in 门诊特殊病慢性病费用报销, asked as …慢性病费用保销) is the more specific
        # reading: the shorter one is not what was meant.
        near = [m for m in ranked if ranked[0].score - m.score < SUBSUMING_REACH]
        held = {
            short.service_id
            for short in near
            for longer in near
            if longer is not short and _holds(longer, short, text)
        }
        ranked = [m for m in ranked if m.service_id not in held]
        top = ranked[0]
        said = self._said(text)
        acting = self._for_the_kind_said(ranked, text) or self._by_the_action(ranked, said)
        if acting is not None:
            return acting, [acting]
        # Further apart, one service must account for far more of what was said: 退休…去世…停保
        # is 退休人员死亡停保, not a bare 停保 (a short phrase covered whole is not the question).
        near = [m for m in ranked if top.score - m.score < DOMINANT_REACH]
        dominant = max(near, key=lambda m: m.explained)
        others = [m.explained for m in near if m != dominant]
        if all(dominant.explained >= EXPLAINS_FAR_MORE * explained for explained in others):
            return dominant, [dominant]
        close = [m for m in ranked if top.score - m.score < self.thresholds.margin]
        leader = max(close, key=lambda m: m.explained)
        if all(leader.explained >= EXPLAINS_MORE * m.explained for m in close if m != leader):
            # Scores alike, but one service accounts for clearly more of what was said
            # (城乡居民…停掉: 城乡居民停保 over 城乡居民参保): that one is meant.
            return leader, [leader]
        own = (
            _told_apart_by_their_own_words(close, said)
            or self._for_anyone(close, text)
            or self._the_one_whose_action_is_said(close, said)
            or _the_one_after_but(close, text)
            or _the_one_the_question_names(close, text)
            or self._the_one_named_at_length(close, text)
        )
        if own is not None:
            return own, [own]
        # A close one that holds none of the question well (给我妈 of 个人账户给我妈用, beside 停保
        # for 给我妈停医保) is not one of the choices.
        return top, [m for m in close if m.explained or not top.explained]

    def _the_one_named_at_length(self, close: list[Match], text: str) -> Match | None:
        """Of services scored alike, the one the question names by a name said whole and at
        least twice as long as what names each other (一次性生育补助金 beside 生小孩): the others'
        words tell the story, the long name says what is asked. Not a name holding who the
        person is (城乡居民医保缴费 beside 缴费补贴): that names the insurance they have."""
        longest = max(close, key=lambda m: len(m.matched_text))
        if not self._named_whole(longest, text):
            return None
        named = len(longest.matched_text)
        others = (m for m in close if m is not longest)
        return longest if all(2 * len(m.matched_text) <= named for m in others) else None

    def _named_whole(self, match: Match, text: str) -> bool:
        """Named by a name of its own said whole, long enough to be more than a word or two of
        it, and not holding who the person is (城乡居民医保缴费 names the insurance one has)."""
        name = match.matched_text
        who = self._identities.search(name) if self._identities is not None else None
        return len(name) >= _WHOLE_NAME and name in text and who is None

    def _by_the_action(self, ranked: list[Match], said: str) -> Match | None:
        """A near service whose action the question says (报销) when it does not say the
        leader's (认定), and which accounts for more of it: 特慢病门诊在外地看的没结算 报销要什么
        is the outpatient claim, not 门诊慢特病待遇认定 that 慢病 names whole. It must account for
        more than every service above it: 生育医疗费报销, as high as the leader, is not passed."""
        action = self._action_of.get(ranked[0].service_id)
        done = self._undone.sub(" ", said) if self._undone is not None else said
        if action is None or action in done:
            return None
        most = ranked[0].explained
        for match in ranked[1:]:
            if ranked[0].score - match.score >= ACTION_REACH:
                break
            its = self._action_of.get(match.service_id)
            if its is not None and its in said and match.explained > most:
                return match
            most = max(most, match.explained)
        return None

    def _the_one_whose_action_is_said(self, close: list[Match], said: str) -> Match | None:
        """Of services scored alike, the only one whose action the question says (断了两个月
        想补上: 补缴, not 参保登记), unless the others were named by it too (停保 is also a
        sub-item of 灵活就业人员参保登记) — not by a name that also holds an action of their
        own the question does not say (城乡居民停保登记 holds 登记, but 停保 was not said), nor,
        when the question says the one's kind of person (城乡居民医保…停保), one for a kind it
        does not say (灵活就业's 停保)."""
        acting = [
            (m, action)
            for m in close
            if (action := self._action_of.get(m.service_id)) and action in said
        ]
        if len(acting) != 1:
            return None
        (match, action), others = acting[0], [m for m in close if m is not acting[0][0]]

        kind = self._kind_of.get(match.service_id)
        kind_said = kind is not None and kind in said

        def named_by_it(other: Match) -> bool:
            own = self._action_of.get(other.service_id)
            unsaid_own = own is not None and own in other.matched_text and own not in said
            theirs = self._kind_of.get(other.service_id)
            unsaid_kind = kind_said and theirs is not None and theirs not in said
            return action in other.matched_text and not unsaid_own and not unsaid_kind

        return None if any(named_by_it(m) for m in others) else match

    def _for_the_kind_said(self, ranked: list[Match], text: str) -> Match | None:
        """A near kin for the kind of person the question says one is (退休: 异地安置退休人员备案),
        over a leader for anyone (异地长期居住人员备案); or any near service for that kind that
        explains more, over a leader for a kind the question does not say, named by a word
        (退休…走了…停掉: not 灵活就业's 停保). A kind the question says one is not (还没退休) was
        taken out of the text in understanding it (app/bot/retraction.py)."""
        leaders = self._kind_of.get(ranked[0].service_id)
        if leaders is not None and leaders in text:
            return None
        # A leader named by more than a word (长期居住备案, not 长住) keeps a nearer kin only.
        named = ranked[0].matched_text
        said_whole = len(named) > 3 and named in text
        reach = ACTION_REACH if said_whole else KIND_REACH
        for match in ranked[1:]:
            if ranked[0].score - match.score >= reach:
                break
            kind = self._kind_of.get(match.service_id)
            if kind is None or kind not in text:
                continue
            if leaders is None and self.kin(ranked[0].service_id, match.service_id):
                return match
            if leaders is not None and not said_whole and match.explained > ranked[0].explained:
                return match
        return None

    def _for_anyone(self, close: list[Match], text: str) -> Match | None:
        """Of two services named by the same words (在职转退休), the one for anyone when the other
        is for a kind of person (灵活就业人员参保登记) the question does not say it is."""
        if len(close) != 2 or close[0].matched_text != close[1].matched_text:
            return None
        kinds = [self._kind_of.get(m.service_id) for m in close]
        unsaid = [kind is not None and kind not in text for kind in kinds]
        if sum(unsaid) == 1 and None in kinds:
            return close[unsaid.index(False)]
        return None

    def _family_undecided(self, ranked: list[Match], family: Family, text: str) -> bool:
        """A family word with nothing that picks one member (or something outside it) clearly."""
        if not ranked or ranked[0].score < self.thresholds.low:
            return True
        limits = self.thresholds
        members = [m for m in ranked if m.service_id in family.services]
        ahead = ranked[0].score - (members[0].score if members else 0.0)
        if ranked[0].service_id not in family.services and ahead >= limits.margin:
            # Something else is named: clearly, or less clearly than the family word itself.
            return ranked[0].score < limits.high
        top, close = self._settle(members, text)
        if top.score >= limits.high:
            return len(close) > 1
        lead = members[0].score - (members[1].score if len(members) > 1 else 0.0)
        # Below the high threshold, the family word itself is evidence: a member that the rest
        # of the question clearly singles out (退休…异地备案) is the one meant.
        return lead < limits.family_lead


_BUT = re.compile("但是|可是|不过|结果")


def _the_one_after_but(close: list[Match], text: str) -> Match | None:
    """Of services scored alike, the only one named after a 但是 (转过来了，但是医保码还是
    显示丽江: the trouble is the code's, not the transfer's)."""
    but = _BUT.search(text)
    if but is None:
        return None
    after = [m for m in close if m.matched_text and m.matched_text in text[but.end() :]]
    before = [m for m in close if m.matched_text and m.matched_text in text[: but.start()]]
    return after[0] if len(after) == 1 and after[0] not in before else None


_ASKING = re.compile("吗|么|什么|啥|哪|怎|咋|多久|几|多少|要不要|能不能|可不可以|不")


def _the_one_the_question_names(close: list[Match], text: str) -> Match | None:
    """Of services scored alike, the only one named in the last clause that asks (the story
    before it names the others)."""
    asking = next((c for c in reversed(text.split()) if _ASKING.search(c)), None)
    if asking is None:
        return None
    named = [m for m in close if m.matched_text and m.matched_text in asking]
    return named[0] if len(named) == 1 else None


def _holds(longer: Match, short: Match, text: str) -> bool:
    """The longer match's name holds the short one's and the text says most of the rest."""
    rest = longer.matched_text.replace(short.matched_text, "", 1)
    return (
        bool(rest)
        and len(rest) < len(longer.matched_text)
        and 2 * sum(char in text for char in rest) >= len(rest)
        and longer.explained > short.explained
    )


def _told_apart_by_their_own_words(close: list[Match], text: str) -> Match | None:
    """Of two names alike but for their own characters (职工医保支付密码变更, 居民医保支付密码变更;
    参城乡居民医保, 城乡居民停保), the one whose own the question says, when it says none of the
    other's."""
    if len(close) != 2:
        return None
    one, other = (set(m.matched_text) - _LITTLE_WORDS for m in close)
    said = [any(char in text for char in own) for own in (one - other, other - one)]
    return close[said.index(True)] if said.count(True) == 1 else None


# Characters that say nothing of which service is meant (居民医保不想交了: 不, 想, 了).
_LITTLE_WORDS = frozenset(
    "的了不想要能可以在我你他她是有吗呢啊吧嘛这那个些什么怎咋哪谁把被给和与及或也都就还"
)


class _TypoCandidates:
    """Each service's longer phrases, and which of them a question could hold with a typo.

    Only a phrase (nearly) inside the question counts: a short question inside a long phrase
    says little (备案 is in every 备案 kind's name), and shorter phrases are matched exactly well
    enough. rapidfuzz's partial_ratio compares the phrase with windows of the question no longer
    than it, 2 × common / (phrase + window) ≥ 80 %, so at least two thirds of the phrase's
    characters must be in the question: a test made for all phrases in a few numpy calls, where
    rapidfuzz costs about a microsecond a phrase.
    """

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        longer = sorted((p for p in phrases if len(p.text) >= 4), key=lambda p: len(p.text))
        by_service: dict[str, list[Phrase]] = defaultdict(list)
        for phrase in longer:
            by_service[phrase.service].append(phrase)
        self._phrases = [phrase for listed in by_service.values() for phrase in listed]
        self._spans: dict[str, tuple[int, list[int]]] = {}
        at = 0
        for service, listed in by_service.items():
            self._spans[service] = (at, [len(p.text) for p in listed])
            at += len(listed)
        self._char_id = {c: i for i, c in enumerate(sorted({c for p in longer for c in p.text}))}
        self._chars = np.array(
            [self._char_id[c] for p in self._phrases for c in p.text], dtype=np.int64
        )
        lengths = np.array([len(p.text) for p in self._phrases], dtype=np.int64)
        self._starts = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else lengths
        self._needed = 2 * lengths

    def of(self, compact: str, services: list[str]) -> list[Phrase]:
        """The phrases of these services, in their order, that could be in the compact text."""
        ranges = []
        for service in services:
            if service in self._spans:
                start, lengths = self._spans[service]
                ranges.append((start, start + bisect.bisect_right(lengths, len(compact))))
        if not ranges:
            return []
        present = np.zeros(len(self._char_id), dtype=np.int64)
        present[[self._char_id[c] for c in set(compact) if c in self._char_id]] = 1
        common = np.add.reduceat(present[self._chars], self._starts)
        possible = np.flatnonzero(3 * common >= self._needed).tolist()
        return [
            self._phrases[at]
            for start, end in ranges
            for at in possible[
                bisect.bisect_left(possible, start) : bisect.bisect_left(possible, end)
            ]
        ]


@dataclass(frozen=True, slots=True)
class Spotted:
    term: str
    written: str | None  # the text's own spelling of it, where it can be found


class Spotter:
    """Finds any of some terms in normalised text, by its characters or by its sound
    (公积金 also in "gongjijin" or a homophone), longest term first."""

    def __init__(
        self, terms: Iterable[str], *, words: Callable[[str], list[str]] | None = None
    ) -> None:
        """With `words` (a segmenter's), a term heard in other characters must not cut a word
        of the text in two: 怎么法定断档补缴 does not hold 怎么罚."""
        self._words = words
        sounds = {t: " ".join(pinyin_of(t)) for t in set(terms) if t}
        # Longest by sound first, a term written in characters before its typed pinyin (异地备案
        # before yi di bei an): the text's characters are then found as the word they are.
        unique = sorted(sounds, key=lambda t: (-len(sounds[t].split()), t.isascii(), t))
        # Each term's sound, and between spaces, so that it is found as whole syllables.
        self._terms = [(t, sounds[t], f" {sounds[t]} ") for t in unique]
        # An English term only as a whole word: vat is not in activate, nor atm in treatment.
        self._whole_words = {t: re.compile(as_word(t)) for t in unique if t.isascii()}
        # Which terms could be in a text at all, by their first character or first syllable: a
        # question holds a few of them, and trying every term in turn costs most of the search.
        self._by_char: dict[str, list[int]] = defaultdict(list)
        self._by_syllable: dict[str, list[int]] = defaultdict(list)
        for at, (term, term_sound, _) in enumerate(self._terms):
            self._by_char[term[0]].append(at)
            if term_sound:
                self._by_syllable[term_sound.split(" ", 1)[0]].append(at)
        self._first_chars = frozenset(self._by_char)
        self._first_syllables = frozenset(self._by_syllable)

    def find(self, text: str, *, sound: tuple[str, ...] | None = None) -> Spotted | None:
        """The first term found, and how the text writes it: as the term, in typed pinyin or in
        characters that sound the same."""
        syllables = pinyin_of(text) if sound is None else sound
        chars = self._first_chars.intersection(text)
        heard = self._first_syllables.intersection(syllables)
        if not chars and not heard:
            return None
        possible = {at for char in chars for at in self._by_char[char]}
        possible.update(at for s in heard for at in self._by_syllable[s])
        spoken = f" {' '.join(syllables)} "
        whole_words, terms = self._whole_words, self._terms
        for term, term_sound, spaced in map(terms.__getitem__, sorted(possible)):
            if term in text and (term not in whole_words or whole_words[term].search(text)):
                return Spotted(term, term)
            if not term_sound or spaced not in spoken:
                continue
            written = written_as(text, term_sound)
            typed = written is not None and written.isascii()
            if typed:
                return Spotted(term, written)
            long_enough = term_sound.count(" ") >= HOMOPHONE_SYLLABLES - 1
            if long_enough and not self._cuts(text, written, term):
                return Spotted(term, written)
        return None

    def _cuts(self, text: str, written: str | None, term: str) -> bool:
        """A character heard as the term's, but not written as it, belongs to a word of the
        text that goes on beyond the term (怎么法定断档补缴: 法 is 法定's, not 罚); one written
        as the term's may be shared (住院报销逼例 holds 报销比例)."""
        if self._words is None or written is None or len(written) != len(term):
            return False
        start = text.find(written)
        end, at = start + len(written), 0
        for word in self._words(text):
            at = text.find(word, at)
            word_end = at + len(word)
            if at < start < word_end or at < end < word_end:
                shared = range(max(at, start), min(word_end, end))
                if any(text[i] != term[i - start] for i in shared):
                    return True
            at = word_end
        return False


def _as_meant(spotted: Spotted) -> bool:
    """Written as the term is, or typed in its pinyin: not a homophone heard in other words."""
    written = spotted.written or ""
    return written == spotted.term or (written != "" and written.isascii())


def _any_of(words: Iterable[str]) -> re.Pattern[str] | None:
    listed = [w for w in words if w]
    return _words_pattern(listed) if listed else None


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    """Any of the words, the first listed first; an English one only where a word begins (son
    is not in person). One look-behind for all of them: one each makes the search eight times
    slower."""
    english = "|".join(re.escape(w) for w in words if w[:1].isascii())
    chinese = [re.escape(w) for w in words if not w[:1].isascii()]
    return re.compile("|".join([*chinese, f"(?<![a-z])(?:{english})"] if english else chinese))


def _heard(text: str) -> tuple[str, ...]:
    """The syllables of a question, less its particles: 是医保吗 is not 医保码."""
    return pinyin_of(_PARTICLES.sub(" ", text))


def _pinyin_features(syllables: tuple[str, ...]) -> frozenset[str]:
    features = {f"q{s}" for s in syllables}
    features.update(f"p{a} {b}" for a, b in itertools.pairwise(syllables))
    return frozenset(features)


def _service_phrases(kb: KnowledgeBase, lexicon: Lexicon) -> Iterable[Phrase]:
    for service, entry in kb.catalog.items():
        yield Phrase(service, entry.name, None)
        terms = lexicon.services.get(service)
        if terms is not None:
            yield from (Phrase(service, text, None) for text in (*terms.phrases, *terms.keywords))
    for (_, service), guide in kb.guides.items():
        yield Phrase(service, guide.name, None)
        yield from (Phrase(service, v.name, v.id) for v in guide.variants)


def user_words(kb: KnowledgeBase, lexicon: Lexicon) -> Iterable[str]:
    """The jieba user dictionary, generated from the base: names, keywords and place names."""
    for phrase in _service_phrases(kb, lexicon):
        if 2 <= len(phrase.text) <= 12 and HANZI_RUN.fullmatch(phrase.text):
            yield phrase.text
    for region in kb.regions.values():
        yield from region.counties
