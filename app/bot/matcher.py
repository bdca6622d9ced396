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
from app.bot.segment import Segmenter, pinyin_of, split_pinyin, written_as
from app.guides.kb import KnowledgeBase

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_ENGLISH_WORD = re.compile(r"(?<![a-z])[a-z]{3,}(?![a-z])")
UNHEARD_WORD = 1.0  # an English word no phrase knows: about a common character pair's weight
_PARTICLES = re.compile("[吗嘛呢吧啊呀哦嘞哈噢咯哟]")
UNIGRAM_WEIGHT = 0.5  # a single character is weak evidence next to a pair or a word
EVIDENCE = 2.5  # feature weight a match needs before it is trusted fully (≈ one telling pair)
PINYIN_DISCOUNT = 0.9  # a reading by sound is slightly less sure than one by characters
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
ATTESTING_COVERAGE = 0.4  # of a phrase the question must hold for the phrase to explain it
# A long question is not one service: explaining this much of it counts as explaining it all.
EXPLAIN_CAP = 20.0


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


@dataclass(frozen=True, slots=True)
class _Posting:
    """One feature's entry: its weight, the reading it belongs to, the rows (phrase readings)
    and groups (service readings) that have it, and the weight repeated for each."""

    weight: float
    reading: int
    rows: Any
    row_weights: Any
    groups: Any
    group_weights: Any


class _Index:
    """Features → phrases that have them, with IDF weights computed over services.

    Every phrase is indexed in each reading (as written, as heard), and one pass scores a
    question in all of them: scoring touches most phrases (a common character is in hundreds),
    so it runs as numpy array arithmetic over every phrase reading at once, and what it costs is
    mostly the number of numpy calls, not the number of phrases. A row is reading × phrases +
    phrase; a group, a service in one reading, is reading × services + service.
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
        total = service_count or 1
        service_of = np.array([number[p.service] for p in phrases], dtype=np.int32)
        self.weight: dict[str, float] = {}
        self._postings: dict[str, _Posting] = {}
        masses = []
        for reading, phrase_features in enumerate(readings):
            services_having: dict[str, set[int]] = defaultdict(set)
            rows: dict[str, list[int]] = defaultdict(list)
            for index, features in enumerate(phrase_features):
                for feature in features:
                    services_having[feature].add(int(service_of[index]))
                    rows[feature].append(reading * self.phrase_count + index)
            for feature, having in services_having.items():
                weight = math.log(1 + total / len(having))
                weight *= UNIGRAM_WEIGHT if feature[0] in "cq" else 1.0
                groups = np.array(sorted(having), dtype=np.int32) + reading * service_count
                self.weight[feature] = weight
                self._postings[feature] = _Posting(
                    weight,
                    reading,
                    np.array(rows[feature], dtype=np.int32),
                    np.full(len(rows[feature]), weight),
                    groups,
                    np.full(len(groups), weight),
                )
            # fsum: exact, so a phrase's mass does not depend on the order a set hands out its
            # features.
            masses += [math.fsum(self.weight[f] for f in fs) or 1.0 for fs in phrase_features]
        self.readings, self.service_count = len(readings), service_count
        self.phrase_mass = np.array(masses, dtype=np.float64)
        self.discount = np.repeat(np.array(discounts, dtype=np.float64), self.phrase_count)
        self.group_of = np.concatenate(
            [service_of + reading * service_count for reading in range(len(readings))]
        )
        # The rows grouped by group, for each group's best one in a single pass.
        self.by_group = np.argsort(self.group_of, kind="stable")
        grouped = self.group_of[self.by_group]
        self.starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        self.positions = np.arange(len(grouped))

    def scores(
        self, queries: Iterable[frozenset[str]], *, unheard: float = 0.0
    ) -> dict[str, tuple[float, int, float]]:
        """service → (score, index of its best phrase, weight of the query it explains in that
        phrase's reading) for the leading services the query touches, in the reading that
        scores it best (the first on a tie); one set of features per reading. `unheard` is the
        weight of what the query says that no phrase knows (English words), which none
        explains."""
        # Sorted: float sums in one order, so exact ties fall the same way whatever the hash seed.
        known = sorted(f for query in queries for f in query if f in self._postings)
        if not known:
            return {}
        postings = [self._postings[f] for f in known]
        mass = [unheard] * self.readings
        for posting in postings:
            mass[posting.reading] += posting.weight
        hits = np.concatenate([p.rows for p in postings])  # the row of each (feature, row)
        matched = np.bincount(
            hits,
            weights=np.concatenate([p.row_weights for p in postings]),
            minlength=len(self.phrase_mass),
        )
        explained = np.bincount(
            np.concatenate([p.groups for p in postings]),
            weights=np.concatenate([p.group_weights for p in postings]),
            minlength=self.readings * self.service_count,
        )
        # A reading the query has no known feature in explains nothing of it (0 of 1, not 0 of 0).
        reach = np.repeat([min(m, EXPLAIN_CAP) or 1.0 for m in mass], self.service_count)
        explains = np.minimum(1.0, explained / reach)[self.group_of]
        coverage = matched / self.phrase_mass
        # Nothing matched scores nothing: the evidence factor is then zero.
        score = (
            (COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * explains)
            * np.minimum(1.0, matched / EVIDENCE)
            * self.discount
        )
        grouped = score[self.by_group]
        best_of = np.maximum.reduceat(grouped, self.starts)
        # Each group's best row: the first of its group that reaches the group's best.
        reaches = grouped == best_of[self.group_of[self.by_group]]
        first = np.minimum.reduceat(np.where(reaches, self.positions, len(grouped)), self.starts)
        best_row = self.by_group[first]
        attested = self._attested(hits, postings, coverage)
        # Per service, the reading that scores it best; the first reading on a tie.
        by_reading = best_of.reshape(self.readings, self.service_count)
        reading = np.argmax(by_reading, axis=0)
        services = np.arange(self.service_count)
        best = by_reading[reading, services]
        group = reading * self.service_count + services
        # Only the leading services matter to any decision.
        leading = np.argsort(-best, kind="stable")[:LEADING_SERVICES]
        return {
            self.services[service]: (
                float(best[service]),
                int(best_row[group[service]]) % self.phrase_count,
                float(attested[group[service]]),
            )
            for service in leading.tolist()
            if best[service] > 0.0
        }

    def _attested(self, hits: Any, postings: list[_Posting], coverage: Any) -> Any:
        """Per group, the weight of the query's features that its well-matched rows hold: a
        feature counts only through a phrase the question mostly covers, not through any of a
        service's many phrases that happens to share a word with it."""
        of_feature = np.repeat(np.arange(len(postings)), [len(p.rows) for p in postings])
        well = (coverage >= ATTESTING_COVERAGE)[hits]
        holds = np.zeros((len(self.starts), len(postings)), dtype=bool)
        holds[self.group_of[hits[well]], of_feature[well]] = True
        return holds @ np.array([p.weight for p in postings])


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
    ) -> None:
        self.phrases = phrases
        who = sorted({i for i in identities if i}, key=lambda i: (-len(i), i))
        self._identities = re.compile("|".join(map(re.escape, who))) if who else None
        self._canonical_of = {v: c for c, variants in (synonyms or {}).items() for v in variants}
        everyday = sorted(self._canonical_of, key=len, reverse=True)
        self._everyday = re.compile("|".join(map(re.escape, everyday))) if everyday else None
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
        self._by_service: dict[str, list[Phrase]] = defaultdict(list)
        for phrase in sorted(phrases, key=lambda p: len(p.text)):
            if len(phrase.text) >= 4:  # shorter phrases are matched exactly well enough
                self._by_service[phrase.service].append(phrase)
        self._lengths = {s: [len(p.text) for p in ps] for s, ps in self._by_service.items()}
        self._texts = {s: [p.text for p in ps] for s, ps in self._by_service.items()}
        self._family_spotters = [(family, Spotter(family.triggers)) for family in families]
        self._sub_items: dict[str, list[tuple[str, dict[str, float]]]] = defaultdict(list)
        named: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for phrase in phrases:
            if phrase.variant is not None:
                named[phrase.service].append((phrase.variant, self._hanzi_features(phrase.text)))
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
        identities = (normalize(i) for i in lexicon.speech.identities)
        return cls(
            unique, segmenter, lexicon.families, thresholds or Thresholds(), synonyms, identities
        )

    def _hanzi_features(self, text: str) -> frozenset[str]:
        features: set[str] = set()
        for run in _CJK_RUN.findall(text):
            features.update(f"c{char}" for char in run)
            features.update(f"b{run[i : i + 2]}" for i in range(len(run) - 1))
        features.update(f"w{w}" for w in self.segmenter.words(text) if len(w) >= 2)
        return frozenset(features)

    def scores(
        self, text: str, *, sound: list[str] | None = None, typos: bool = True
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
            for word in _ENGLISH_WORD.findall(plain)
            if f"w{word}" not in self._index.weight and split_pinyin(word) is None
        )

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
        choices: list[str] = []
        spans: list[tuple[Match, int, int]] = []
        for match in shortlist:
            if match.score >= FUZZY_CEILING:
                continue  # no fuzzy score could beat it
            # Only a phrase (nearly) inside the question: a short question inside a long
            # phrase says little (备案 is in every 备案 kind's name).
            fitting = bisect.bisect_right(self._lengths.get(match.service_id, []), len(compact))
            if fitting:
                spans.append((match, len(choices), len(choices) + fitting))
                choices += self._texts[match.service_id][:fitting]
        if not choices:
            return matches
        # One call for the whole short list: rapidfuzz's own cost is mostly per call.
        ratios = process.cdist(
            [compact],
            choices,
            scorer=fuzz.partial_ratio,
            processor=None,
            score_cutoff=FUZZY_CUTOFF,
            dtype=np.float64,
        )[0]
        for match, start, end in spans:
            at = start + int(np.argmax(ratios[start:end]))  # the first of the best
            if ratios[at] < FUZZY_CUTOFF:
                continue
            fuzzy = ratios[at] / 100 * FUZZY_CEILING
            if fuzzy > match.score:
                phrase = self._by_service[match.service_id][at - start]
                matches[match.service_id] = Match(
                    match.service_id, float(fuzzy), phrase.text, phrase.variant, match.explained
                )
        return matches

    def family_of(self, text: str, *, sound: list[str] | None = None) -> Family | None:
        """The family a vague word in the text names (备案 → the five kinds), if any."""
        return self._family_word(text, sound=sound)[0]

    def _family_word(
        self, text: str, *, sound: list[str] | None = None
    ) -> tuple[Family | None, str]:
        """The family named and the rest of the text without its word: a word written as it is
        before one only heard (缴医保 sounds like 交医保), the longer word first."""
        found = [
            ((spotted.written == spotted.term, len(spotted.term), -index), family, spotted)
            for index, (family, spotter) in enumerate(self._family_spotters)
            if (spotted := spotter.find(text, sound=sound)) is not None
        ]
        if not found:
            return None, text
        _, family, spotted = max(found, key=lambda f: f[0])
        written = spotted.written
        rest = " ".join(text.replace(written, " ").split()) if written else text
        return family, rest

    def _only_the_family_word(self, ranked: list[Match], rest: str) -> bool:
        """The leading member is named by nothing but the family word (异地备案 is in every
        备案 kind's name): without the word, the rest of the question does not point to it."""
        if not ranked:
            return True
        without = self.scores(rest, typos=False).get(ranked[0].service_id) if rest else None
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
            if m.service_id not in left or left[m.service_id].score < low
        }
        if not carried:
            return self._told_apart_by_who(text, result) or result
        rest = self._match(" ".join(without.split()), limit)
        if rest.best is None or rest.best.service_id in carried:
            return result
        # Within a family the person's kind is the choice itself (新生儿…参保 is 新生儿参保;
        # 城乡居民医保去哪里办 is 城乡居民参保登记's, where 城乡居民停保 was as close).
        kind = [
            m
            for m in named
            if m.service_id in carried and self._kin(rest.best.service_id, m.service_id)
        ]
        if kind:
            if result.best is None and len(kind) == 1:
                return MatchResult(kind[0], result.candidates, needs_clarification=False)
            return result
        return rest

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
        return MatchResult(theirs[0], result.candidates, False) if len(theirs) == 1 else None

    def _kin(self, one: str, other: str) -> bool:
        return any(one in f.services and other in f.services for f in self.families)

    def _match(self, text: str, limit: int) -> MatchResult:
        sound = _heard(text)
        scored = self.scores(text, sound=sound)
        ranked = sorted(scored.values(), key=lambda m: m.score, reverse=True)
        limits = self.thresholds
        family, word = self._family_word(text, sound=sound)
        if family is not None and (
            self._family_undecided(ranked, family) or self._only_the_family_word(ranked, word)
        ):
            scored = {m.service_id: m for m in ranked}
            members = sorted(
                (scored.get(s, Match(s, 0.0, "")) for s in family.services),
                key=lambda m: m.score,
                reverse=True,
            )
            # The members the rest of the question also points to (产检…生孩子…津贴), where two
            # or more do; else every member: nothing else tells them apart.
            named = [m for m in members if m.score >= limits.low]
            offered = named if len(named) >= 2 else members
            return MatchResult(None, tuple(offered), needs_clarification=True, family=family.name)
        if not ranked or ranked[0].score < limits.low:
            return MatchResult(None, tuple(ranked[:limit]), needs_clarification=False)
        top, close = self._settle(ranked)
        if top.score >= limits.high and len(close) == 1:
            return MatchResult(top, tuple(ranked[:limit]), needs_clarification=False)
        options = close if len(close) > 1 else ranked[:limit]
        return MatchResult(None, tuple(options[: max(limit, 2)]), needs_clarification=True)

    def _settle(self, ranked: list[Match]) -> tuple[Match, list[Match]]:
        """The leading match of a ranking and those too close to it to tell apart."""
        top = ranked[0]
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
        return top, close

    def _family_undecided(self, ranked: list[Match], family: Family) -> bool:
        """A family word with nothing that picks one member (or something outside it) clearly."""
        if not ranked or ranked[0].score < self.thresholds.low:
            return True
        limits = self.thresholds
        members = [m for m in ranked if m.service_id in family.services]
        ahead = ranked[0].score - (members[0].score if members else 0.0)
        if ranked[0].service_id not in family.services and ahead >= limits.margin:
            # Something else is named: clearly, or less clearly than the family word itself.
            return ranked[0].score < limits.high
        top, close = self._settle(members)
        if top.score >= limits.high:
            return len(close) > 1
        lead = members[0].score - (members[1].score if len(members) > 1 else 0.0)
        # Below the high threshold, the family word itself is evidence: a member that the rest
        # of the question clearly singles out (退休…异地备案) is the one meant.
        return lead < limits.family_lead


@dataclass(frozen=True, slots=True)
class Spotted:
    term: str
    written: str | None  # the text's own spelling of it, where it can be found


class Spotter:
    """Finds any of some terms in normalised text, by its characters or by its sound
    (公积金 also in "gongjijin" or a homophone), longest term first."""

    def __init__(self, terms: Iterable[str]) -> None:
        unique = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
        self._terms = [(t, " ".join(pinyin_of(t))) for t in unique]

    def find(self, text: str, *, sound: list[str] | None = None) -> Spotted | None:
        """The first term found, and how the text writes it: as the term, in typed pinyin or in
        characters that sound the same."""
        spoken = f" {' '.join(pinyin_of(text) if sound is None else sound)} "
        for term, term_sound in self._terms:
            if term in text:
                return Spotted(term, term)
            if not term_sound or f" {term_sound} " not in spoken:
                continue
            written = written_as(text, term_sound)
            typed = written is not None and written.isascii()
            if typed or term_sound.count(" ") >= HOMOPHONE_SYLLABLES - 1:
                return Spotted(term, written)
        return None


def _heard(text: str) -> list[str]:
    """The syllables of a question, less its sentence particles: 是医保吗 is not 医保码."""
    return pinyin_of(_PARTICLES.sub(" ", text))


def _pinyin_features(syllables: list[str]) -> frozenset[str]:
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
        if 2 <= len(phrase.text) <= 12 and _CJK_RUN.fullmatch(phrase.text):
            yield phrase.text
    for region in kb.regions.values():
        yield from region.counties
