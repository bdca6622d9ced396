"""One turn of the guide bot: understand the question, settle it with the session, answer or ask.

Answer above the high threshold; between the thresholds offer the closest services; below the low
one hand off to the region's hotline or 12345. Never answer a region from another province's guide.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from app.bot.dialog import Session
from app.bot.lexicon import Aspect, Lexicon
from app.bot.matcher import (
    ACTION_REACH,
    Match,
    Matcher,
    MatchResult,
    Spotted,
    Spotter,
    Thresholds,
    user_words,
)
from app.bot.normalize import Normalizer
from app.bot.render import (
    PROVINCE_HOTLINE,
    Channel,
    Source,
    character_pairs,
    contacts_for,
    render_answer,
    render_offices,
    render_province_wide,
)
from app.bot.retraction import Retraction
from app.bot.segment import Segmenter, SoundAlike, by_initials
from app.bot.slots import AspectFinder, Gazetteer
from app.guides.kb import KnowledgeBase, Region, dialable
from app.guides.lookup import PROVINCE, find_guide
from app.working_days import WorkingCalendar

MAX_ASPECTS = {Channel.HOTLINE: 2}  # a listener keeps two answers in mind; a screen shows three
MAX_SHOWN_ASPECTS = 3
OFFER_REACH = 0.1  # an option this far below the best one is not worth offering
# A question about where to go or whom to call, naming no service, is about the offices.
OFFICES_SERVICE = "info.agencies"
FOLLOW_UPS = ("要带什么材料", "要多久", "在哪里办", "电话多少")
# Services answered by the guide of the place the person goes to, even from a named 参保地:
# 转移接续 is applied for where the insurance goes (从曲靖转到经开区 is 经开区's guide, whose
# transfer "需由转入地发起申请"); which hospitals are 定点 is a question of where they are.
DESTINATION_DECIDES = frozenset({"transfer", "info.facilities"})
_MOVING_OUT = "转出"
# What asks whether it can be done somewhere, or where: with another place of the province named,
# the 全省通办 list's word on doing it away from the 参保地 answers too.
_WHETHER_HERE = frozenset({Aspect.CONDITIONS, Aspect.WHERE, Aspect.CHANNEL, Aspect.GENERAL})
# A phone line's own name, asked for: long enough to be telling (办公室), short enough to be said.
MIN_LINE_LABEL, MAX_LINE_LABEL = 3, 8
_ORDINAL_REPLY = re.compile(r"^(?:选|要|是)?(.{1,4}?)(?:个|项)?(?:吧|啊)?$")


def phone_line_labels(kb: KnowledgeBase, region: Region) -> Iterable[str]:
    """The names of a region's phone lines without their place and the words every line has
    (玉溪市医保参保咨询 → 参保咨询): short enough to be asked for by name."""
    places = [e.name for e in kb.region_codes.values()]
    places += [county for entry in kb.regions.values() for county in entry.counties]
    said_by_all = (*sorted(places, key=len, reverse=True), "医保", "联系电话", "电话")
    for contact in region.contacts:
        label = contact.name
        for word in said_by_all:
            label = label.replace(word, "")
        if MIN_LINE_LABEL <= len(label) <= MAX_LINE_LABEL:
            yield label
            if label.endswith("咨询"):  # 参保咨询 is also asked as 参保电话
                yield label.removesuffix("咨询") + "电话"


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Clarify:
    question: str
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class Handoff:
    reason: str  # out_of_scope | small_talk | not_covered | no_answer | declined
    phone: str
    # The question handed off when an earlier turn asked it (the offer declined was for it).
    question: str | None = None


@dataclass(slots=True)
class Reply:
    """What /bot/ask returns."""

    session_id: str
    answer_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    service: Option | None = None
    region: str | None = None
    aspect: str | None = None
    answer_text: str = ""
    clarify: Clarify | None = None
    handoff: Handoff | None = None
    confidence: float = 0.0
    sources: list[Source] = field(default_factory=list)
    checklist: list[dict[str, object]] = field(default_factory=list)
    quick_replies: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Turn:
    """What this turn's text says, before the session fills the gaps."""

    text: str
    region: str | None
    county: str | None
    destination: str | None
    aspects: tuple[Aspect, ...]
    rest: str
    beyond: str | None = None  # a place beyond every guide named as theirs (长沙的社保卡)
    others: frozenset[str] = frozenset()  # the regions of the other places named

    @property
    def said(self) -> str:
        """The rest run together, as a whole reply (第二个, 是的, 都不是) is compared."""
        return self.rest.replace(" ", "")


@dataclass(frozen=True, slots=True)
class _TwoAsked:
    """Two services answered one after the other, and the turn each is answered as."""

    first: Match
    second: Match
    asked: _Turn


_EVERY_LINE = frozenset({"医保", "电话", "咨询", "联系"})
_EVERY_CHANNEL = frozenset({"医保", "云南", "办理"})


def _position(text: str, phrase: str) -> int:
    """Where the text names a phrase; a phrase it names in other words comes last."""
    at = text.find(phrase)
    return at if at >= 0 else len(text)


def _typed_by_initials(lexicon: Lexicon) -> dict[str, str]:
    """The lexicon's short terms by their pinyin initials (sbk, ydjy, gjj), for the normaliser;
    never letters the lexicon already knows as a word (app, yb)."""
    terms = [
        *(trigger for family in lexicon.families for trigger in family.triggers),
        *(keyword for terms in lexicon.services.values() for keyword in terms.keywords),
        *(word for canonical, words in lexicon.synonyms.items() for word in (canonical, *words)),
        *lexicon.out_of_scope,
        *lexicon.speech.identities,
    ]
    said = [
        *terms,
        *(cue for cues in lexicon.speech.aspects.values() for cue in cues),
        *lexicon.speech.small_talk,
        *lexicon.beyond_guides,
        *lexicon.speech.fillers,
    ]
    taken = {word for phrase in said for word in phrase.lower().split() if word.isascii()}
    return by_initials(terms, taken=taken)


def _whole_replies(normalize: Normalizer, replies: Iterable[str]) -> frozenset[str]:
    """Replies as a turn's rest reads them, spaces dropped; one of fillers only is none."""
    return frozenset(filter(None, (normalize(r).replace(" ", "") for r in replies)))


def _asks_where_or_whom(turn: _Turn) -> bool:
    return bool(turn.aspects) and set(turn.aspects) <= {Aspect.PHONE, Aspect.WHERE}


class Assistant:
    """The bot for one knowledge-base and lexicon version; immutable, shared by all requests."""

    def __init__(
        self,
        kb: KnowledgeBase,
        lexicon: Lexicon,
        *,
        cache_dir: Path,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.kb = kb
        self.calendar = calendar
        self.lexicon = lexicon
        self.normalize = Normalizer(
            lexicon.speech.fillers, _typed_by_initials(lexicon), lexicon.english
        )
        self.places = Gazetteer(kb, lexicon.speech.places)
        words = list(user_words(kb, lexicon))
        segmenter = Segmenter(words, cache_dir=cache_dir)
        self.matcher = Matcher.build(kb, lexicon, segmenter, normalize=self.normalize)
        self.aspects = AspectFinder(lexicon, names=(p.text for p in self.matcher.phrases))
        self.retraction = Retraction(self.matcher.kinds)
        # The base's own terms heard in other characters (社报卡, 生于津贴, 参保平证), written as
        # they are before anything reads the question; two characters are too few to tell.
        self.terms = SoundAlike(t for t in words if 3 <= len(t) <= 6 and not self.places.knows(t))
        # Each hands a question off: a homophone must be heard whole, not across two words.
        self.off_topic = Spotter(
            (self.normalize(t) for t in lexicon.out_of_scope), words=segmenter.words
        )
        self.beyond_guides = Spotter(
            (self.normalize(t) for t in lexicon.beyond_guides), words=segmenter.words
        )
        self.topic = Spotter(self.normalize(t) for t in lexicon.speech.topic)
        # Each region's own lines: 楚雄's guide has no 参保咨询 line, 玉溪's has.
        self.phone_lines = {
            code: Spotter(self.normalize(t) for t in phone_line_labels(kb, entry))
            for code, entry in kb.regions.items()
        }
        self.offices = Spotter(self.normalize(t) for t in lexicon.speech.offices)
        self.compares = Spotter(self.normalize(t) for t in lexicon.speech.compares)
        self.together = Spotter(self.normalize(t) for t in lexicon.speech.together)
        self.small_talk = Spotter(self.normalize(t) for t in lexicon.speech.small_talk)
        self._confirmations = _whole_replies(self.normalize, lexicon.speech.confirmations)
        self._declines = _whole_replies(self.normalize, lexicon.speech.declines)

    @property
    def thresholds(self) -> Thresholds:
        return self.matcher.thresholds

    def understand(self, text: str) -> _Turn:
        normalized = self.terms.spelled(self.places.spelled(self.normalize(text)))
        places = self.places.find(normalized)
        aspects, rest = self.aspects.find(self.retraction.not_asked(places.rest))
        return _Turn(
            normalized,
            places.region,
            places.county,
            places.destination,
            aspects,
            self.retraction.meant(rest),
            places.beyond,
            places.others,
        )

    def ask(
        self,
        text: str,
        session: Session,
        *,
        region: str | None,
        channel: Channel,
        today: date | None = None,
    ) -> Reply:
        """Answer one question in a conversation; the session is updated in place.

        With today, working-day time limits also say when they would end if accepted today.
        """
        turn = self.understand(text)
        reply = Reply(session_id=session.id)
        if session.options and self._declines_the_offer(turn):
            self._hand_off(turn, session, reply, reason="declined", question=session.offered_for)
            return reply
        chosen = self._chosen_option(text, turn, session)
        if chosen is None and session.options and self._still_to_choose(turn, session):
            self._offer_again(turn, session, reply)
            return reply
        if chosen is None and not turn.text:
            reply.answer_text = "请问您想咨询哪项医保业务？例如：异地就医备案要带什么材料。"
            return reply
        if turn.beyond is not None and turn.destination is None:
            return self._beyond_the_guides(turn.beyond, reply)
        code = turn.region or session.region or region or PROVINCE
        if (
            chosen is None
            and self.beyond_guides.find(self.retraction.not_asked(turn.text)) is not None
        ):
            # What no guide states (多少天 is also a time-limit word), compared or not; of
            # another subject (养老金怎么算), that subject is not ours at all.
            beyond = self.off_topic.find(turn.text) is not None
            self._hand_off(turn, session, reply, reason="out_of_scope" if beyond else "no_answer")
            return reply
        two, matched = (None, None) if chosen else self._two_asked(turn, code)
        if two is not None:
            return self._answer_both(two, session, region, channel, reply, today)
        match = chosen or self._match(turn, session, code, reply, matched)
        if match is None:
            return reply
        return self._answer(turn, session, match, region, channel, reply, today)

    def _two_asked(self, turn: _Turn, region: str) -> tuple[_TwoAsked | None, MatchResult | None]:
        """The two services a question compares (参保证明和参保凭证有什么区别) or asks of at once
        (…这两个事怎么办), when it names both clearly, each answerable there; and the match of the
        turn's words it took to know, for the turn to go on with when it does not."""
        comparing = self.compares.find(turn.text) is not None
        if not comparing and self.together.find(turn.text) is None:
            return None, None
        result = self.matcher.match(turn.rest)
        if comparing:
            # Both named clearly, even where one of them would be the answer to a plain question.
            matches = dict.fromkeys(m for m in (result.best, *result.candidates) if m is not None)
            named = [m for m in matches if self._clearly_here(m, region)]
        else:
            named = self._both_asked(turn.rest, result.best, region)
        if len(named) < 2:
            return None, result
        # In the order the question names them (参保凭证和参保证明: the 凭证 first).
        first, second = sorted(named[:2], key=lambda m: _position(turn.text, m.matched_text))
        # Compared: what each is; asked at once: each as asked.
        asked = replace(turn, aspects=(Aspect.GENERAL,)) if comparing else turn
        return _TwoAsked(first, second, asked), result

    def _clearly_here(self, match: Match | None, region: str) -> bool:
        return (
            match is not None
            and match.score >= self.thresholds.high
            and self._answerable(match.service_id, region)
        )

    def _both_asked(self, rest: str, first: Match | None, region: str) -> list[Match]:
        """The service the question names best, and the one the rest of it names once the
        clauses naming the first are left out (两件事：一个是停保，一个是个人账户的钱取出来)."""
        if first is None or not self._clearly_here(first, region):
            return []
        name = first.matched_text
        clauses = rest.split()
        others = [c for c in clauses if 2 * sum(ch in c for ch in name) < len(name)]
        if len(others) == len(clauses):
            return []
        second = self.matcher.match(" ".join(others)).best
        if second is None or second.service_id == first.service_id:
            return []
        return [first, second] if self._clearly_here(second, region) else []

    def _answer_both(
        self,
        two: _TwoAsked,
        session: Session,
        region: str | None,
        channel: Channel,
        reply: Reply,
        today: date | None,
    ) -> Reply:
        """Each of the two, one after the other: the first as the answer, the second after it,
        each from its own guide."""
        reply = self._answer(two.asked, session, two.first, region, channel, reply, today)
        # The second in a session of its own: the conversation goes on with the first.
        other = self._answer(
            two.asked,
            Session(session.id),
            two.second,
            region,
            channel,
            Reply(session_id=session.id),
            today,
        )
        if other.service is not None:
            reply.answer_text = f"{reply.answer_text} {other.answer_text}"
            reply.sources = [*reply.sources, *(s for s in other.sources if s not in reply.sources)]
        return reply

    def _chosen_option(self, text: str, turn: _Turn, session: Session) -> Match | None:
        """ "第二个" or an option's name, when the last turn asked which service; a yes (是的, or
        only fillers: 嗯) when it asked about one."""
        if not session.options:
            return None
        # Only fillers said (嗯, 好的) is a yes too; only punctuation (？) is not.
        fillers_only = not turn.text and any(char.isalnum() for char in text)
        yes = turn.said in self._confirmations or fillers_only
        if yes and len(session.options) == 1:
            return Match(session.options[0], 1.0, turn.text)
        for index, words in enumerate(self.lexicon.speech.ordinals):
            reply = _ORDINAL_REPLY.match(turn.said)
            if reply and reply.group(1) in words and index < len(session.options):
                return Match(session.options[index], 1.0, turn.text)
        scores = self.matcher.scores(turn.rest)
        offered = [scores[s] for s in session.options if s in scores]
        best = max(offered, key=lambda m: m.score, default=None)
        return best if best is not None and best.score >= self.thresholds.low else None

    def _still_to_choose(self, turn: _Turn, session: Session) -> bool:
        """A yes to several options, or only what to know of it (要多久, whose 要 is left): which
        one is still the question."""
        return (turn.said in self._confirmations and len(session.options) > 1) or (
            len(turn.said) <= 1 and bool(turn.aspects)
        )

    def _offer_again(self, turn: _Turn, session: Session, reply: Reply) -> None:
        """The same options, asked again; what the turn asks of them is kept for the answer."""
        self._ask_which(session.options, reply)
        session.aspects = [a.value for a in turn.aspects] or session.aspects

    def _ask_which(self, services: list[str], reply: Reply, *, what: str = "") -> None:
        """Ask which of the services is meant; of one service left, whether it is the one."""
        options = tuple(Option(s, self.kb.catalog[s].name) for s in services)
        question = (
            f"请问您问的是“{options[0].label}”吗？"
            if len(options) == 1
            else f"{what}请问您要办的是哪一项？"
        )
        reply.clarify = Clarify(question, options)
        reply.answer_text = question + " ".join(f"{i}. {o.label}" for i, o in enumerate(options, 1))
        # A way out as well as a way in: the decline hands off with the number to call.
        reply.quick_replies = [o.label for o in options] + [
            "不是" if len(options) == 1 else "都不是"
        ]

    def _declines_the_offer(self, turn: _Turn) -> bool:
        """不是, 都不是: none of the services the last turn offered is the one meant."""
        return turn.said in self._declines

    def _without_out_of_scope(self, turn: _Turn) -> tuple[str, str | None]:
        """The turn's rest without the off-topic term it names (公积金), and that term."""
        text = turn.rest
        spotted = self.off_topic.find(text)
        if spotted is None:
            # A term an aspect word cut in two (哪里可以办理居住证: 哪里可以办 asks where).
            whole = self.off_topic.find(turn.text)
            return text, whole.term if whole is not None else None
        if spotted.written is not None:
            text = " ".join(text.replace(spotted.written, " ").split())
        return text, spotted.term

    def _lists_offices(self, region: str) -> bool:
        """Where to go or whom to call is known there: an 经办机构 item of a guide, or the
        offices and phones render_offices answers from (岳阳's guide prints none)."""
        entry = self.kb.regions.get(region)
        offices = entry is not None and bool(entry.office_tables)
        listed = offices or bool(contacts_for(self.kb, region, None))
        return listed or self._covered(OFFICES_SERVICE, region)

    def _covered(self, service: str, region: str) -> bool:
        return any((r, service) in self.kb.guides for r in self.kb.ancestry(region))

    def _match(
        self,
        turn: _Turn,
        session: Session,
        region: str,
        reply: Reply,
        matched: MatchResult | None,
    ) -> Match | None:
        if self._asks_for_an_office(turn, region):
            return Match(OFFICES_SERVICE, 1.0, turn.text)
        return self._match_words(turn, session, region, reply, matched)

    def _match_words(
        self,
        turn: _Turn,
        session: Session,
        region: str,
        reply: Reply,
        matched: MatchResult | None,
    ) -> Match | None:
        """The service the question's words name, an offer of the closest, or a hand-off;
        `matched` is the turn's words already matched, if they were."""
        rest, off_topic, result = self._words_and_subject(turn, matched)
        # With another subject named (养老保险, 个税), the service words are about 医保 only when
        # the question says 医保 too, outside that subject's name (商业补充医疗保险 says 医疗保险
        # of commercial cover): 养老保险关系怎么转移 is not 医保关系转移.
        # ...and not when it asks how ours differs from that subject (学平险和大学生医保有啥区别).
        also_ours = (
            off_topic is not None
            and self.topic.find(rest) is not None
            and self.compares.find(turn.text) is None
        )
        if result.best is not None and (
            off_topic is None or (also_ours and result.best.score >= self.thresholds.off_topic)
        ):
            return self._answerable_instead(result.best, rest, region)
        if off_topic is not None:
            self._hand_off(turn, session, reply, reason="out_of_scope")
            return None
        # Nothing named clearly, and no vague word of a family: what the turn asks (要多久,
        # 电话呢, 那在楚雄呢) goes on with the session's service, or, asking only where or whom
        # to call, is about the offices.
        vague = result.family is None and (
            not result.candidates or result.candidates[0].score < self.thresholds.high
        )
        follow_up = bool(session.service and (turn.aspects or turn.region))
        # Where to go or whom to call, of 医保 or of a place we know: not of the neighbour's dog.
        asks_offices = _asks_where_or_whom(turn) and (
            turn.region is not None or self.topic.find(turn.text) is not None
        )
        if vague and follow_up and session.service:
            return Match(session.service, 1.0, "", session.variant)
        if vague and asks_offices:
            return Match(OFFICES_SERVICE, 1.0, "")
        # Where or whom to call about some kind of 参保 in 双柏县, or whom to call about one of two
        # close services (大姚县城乡居民医保电话): the same offices for all of them, as a hotline
        # operator would say, rather than asking which one first.
        about_any = result.family is not None or Aspect.PHONE in turn.aspects
        offices_there = turn.region is not None and self._lists_offices(turn.region)
        if result.needs_clarification and about_any and offices_there and _asks_where_or_whom(turn):
            return Match(OFFICES_SERVICE, 1.0, "")
        offered = tuple(m for m in result.candidates if self._answerable(m.service_id, region))
        if result.needs_clarification and self._one_answer_for_all(offered, turn, region):
            return offered[0]  # the others are not offered here, or are answered alike
        # Thanks, goodbye, "are you a robot", with no service clearly named: none is offered.
        small_talk = vague and self._small_talk(turn)
        if result.needs_clarification and offered and not small_talk:
            self._offer(offered, result.family, turn, session, reply)
            return None
        if follow_up and session.service:
            return Match(session.service, 1.0, "", session.variant)
        if asks_offices:
            return Match(OFFICES_SERVICE, 1.0, "")
        self._hand_off(turn, session, reply, reason="small_talk" if small_talk else "out_of_scope")
        return None

    def _words_and_subject(
        self, turn: _Turn, matched: MatchResult | None
    ) -> tuple[str, str | None, MatchResult]:
        """The turn's words without a subject beyond 医保 they name (公积金), that subject, and
        their match. A subject that is a word of one of our services' names (退休工资 of 岳阳's
        退休工资变更), asked with 医保 said, is that service's: nothing is taken out."""
        rest, off_topic = self._without_out_of_scope(turn)
        result = matched if matched is not None and rest == turn.rest else self.matcher.match(rest)
        if off_topic is not None and self.topic.find(turn.text) is not None:
            whole = matched or self.matcher.match(turn.rest)
            if whole.best is not None and off_topic in whole.best.matched_text:
                return turn.rest, None, whole
        return rest, off_topic, result

    def _one_answer_for_all(self, offered: tuple[Match, ...], turn: _Turn, region: str) -> bool:
        """One service to offer, or several that one guide answers alike (经开区's 职工（居民）参保
        信息变更登记 is both 职工's and 居民's): whichever is meant, the answer is the same, so
        nothing is asked."""
        if len(offered) < 2 or not all(self._covered(m.service_id, region) for m in offered):
            return len(offered) == 1
        # Rendered only where one section of a guide is all of theirs: rare, and a render each.
        sections = {find_guide(self.kb, region, m.service_id).guide.source for m in offered}
        if len(sections) > 1:
            return False
        aspects = turn.aspects or (Aspect.GENERAL,)
        answers = {
            render_answer(
                self.kb,
                region=region,
                service=m.service_id,
                aspects=aspects,
                county=turn.county,
                variant=None,
                channel=Channel.COUNTER,
            ).text
            for m in offered
        }
        return len(answers) == 1

    def _small_talk(self, turn: _Turn) -> bool:
        """Said to the bot, not asked of 医保: nothing of 医保 or of a place is said."""
        return (
            turn.region is None
            and self.topic.find(turn.text) is None
            and self.small_talk.find(turn.text) is not None
        )

    def _asks_for_an_office(self, turn: _Turn, region: str) -> bool:
        """Whom to call, asked by a line's name in a region's phone table (澄江市医保参保咨询电话)
        or of an office (通海县医保局电话…问参保的事): the phone table answers, not the service
        the words also name (参保)."""
        if Aspect.PHONE not in turn.aspects:
            return False  # where to go (在哪个办公室) is the service's own offices
        # No place named: any region's line may be the one asked for (洛羊街道便民中心电话).
        regions = self.phone_lines if region == PROVINCE else self.kb.ancestry(region)
        lines = (self.phone_lines[r] for r in regions if r in self.phone_lines)
        if any(spotter.find(turn.text) is not None for spotter in lines):
            return True
        office = self.offices.find(turn.rest) if set(turn.aspects) == {Aspect.PHONE} else None
        return office is not None and not self._names_a_service(turn.rest, office, region)

    def _names_a_service(self, rest: str, office: Spotted, region: str) -> bool:
        """The rest, less the office, names one service answerable there (武定县医保办办慢特病
        认定的电话): its own guide's phone is the one asked for, not every line of the office."""
        without = " ".join(rest.replace(office.written or office.term, " ").split())
        best = self.matcher.match(without).best if without else None
        return (
            best is not None
            and best.service_id != OFFICES_SERVICE
            and best.score >= self.thresholds.high
            and self._answerable(best.service_id, region)
        )

    def _offer(
        self,
        candidates: tuple[Match, ...],
        family: str | None,
        turn: _Turn,
        session: Session,
        reply: Reply,
    ) -> None:
        if family is None and candidates:
            # Only what is near the best is worth choosing from: 协议申请 offers the two 定点协议,
            # not also 门特申请 far below them. A family's members are all offered.
            best = candidates[0].score
            candidates = tuple(m for m in candidates if best - m.score < OFFER_REACH)
        what = f"“{family}”有几种，" if family else ""
        self._ask_which([m.service_id for m in candidates], reply, what=what)
        reply.confidence = candidates[0].score if candidates else 0.0
        session.options = [m.service_id for m in candidates]
        session.offered_for = turn.text
        session.aspects = [a.value for a in turn.aspects] or session.aspects
        session.region = turn.region or session.region
        session.county = turn.county or session.county

    def _answerable_instead(self, best: Match, text: str, region: str) -> Match:
        """The best match, or, when the region's guides lack it, a service they have that the
        question names about as well (在楚雄…退役…补缴: 楚雄 has 退役士兵补缴, not 法定断档补缴).
        A general service the region's own guides have comes before another city's special one
        (全省通办's 生育医疗费用支付（含产前检查费）, not 玉溪's 产前检查费支付)."""
        if self._covered(best.service_id, region):
            return best
        general = self.lexicon.generalizations.get(best.service_id)
        if general is not None and self._covered(general, region):
            return replace(best, service_id=general, variant=None, instead_of=best.service_id)
        if self._answerable(best.service_id, region):
            return best
        others = sorted(self.matcher.scores(text).values(), key=lambda m: m.score, reverse=True)
        for other in others:
            # A kin of the same family (慢特病 or 特殊药品认定) is close enough at a lower bar.
            limits = self.thresholds
            kin = self.matcher.kin(best.service_id, other.service_id)
            bar = limits.low if kin else limits.high
            reach = limits.family_lead if kin else limits.margin
            # ...and so is one whose action the question says (玉溪…谈判药…门诊…报销: its 门诊费用
            # 报销, where 特殊药品认定 is not in 玉溪's guides).
            if self.matcher.acts_instead(best.service_id, other.service_id, text):
                reach = max(reach, ACTION_REACH)
            near = other.score >= best.score - reach
            if other.score >= bar and near and self._answerable(other.service_id, region):
                return other
        if general is not None and self._answerable(general, region):
            # 岳阳 has no 大学生参保登记; its 城乡居民参保登记 lists 在校学生: that one, said so.
            return replace(best, service_id=general, variant=None, instead_of=best.service_id)
        return best

    def _answerable(self, service: str, region: str) -> bool:
        """Covered there, or asked province-wide and some city's guide has it."""
        return self._covered(service, region) or (
            region == PROVINCE and bool(self._cities_with(service))
        )

    def _sub_item(self, turn: _Turn, match: Match, region: str) -> str | None:
        """The sub-item of the region's guide the question names, if it names one."""
        allowed = {
            v.id
            for code in self.kb.ancestry(region)
            if (guide := self.kb.guides.get((code, match.service_id))) is not None
            for v in guide.variants
        }
        return self.matcher.variant_of(turn.rest, match.service_id, allowed) if allowed else None

    def _cities_with(self, service: str) -> tuple[str, ...]:
        """The province's cities whose own guide has the service, in regions.tsv order."""
        return tuple(
            code
            for code, entry in self.kb.region_codes.items()
            if entry.parent == PROVINCE and (code, service) in self.kb.guides
        )

    def _regions_elsewhere_with(self, service: str) -> tuple[str, ...]:
        """Regions outside the province (岳阳) whose guide has the service."""
        return tuple(
            code
            for code, entry in self.kb.region_codes.items()
            if code != PROVINCE and entry.parent != PROVINCE and (code, service) in self.kb.guides
        )

    def _elsewhere_preface(self, name: str, code: str) -> str:
        where = self.kb.region_codes[code].name
        return (
            f"云南的办事指南没有“{name}”这一事项。以下是{where}的规定，只适用于在{where}参保的人员；"
            f"在云南参保的，请拨打 {PROVINCE_HOTLINE} 咨询。"
        )

    def _general_preface(self, match: Match, code: str) -> str:
        """Where the general service answers for a special case the region's guides lack."""
        if match.instead_of is None:
            return ""
        where = self.kb.region_codes[code].name
        special = self.kb.catalog[match.instead_of].name
        general = self.kb.catalog[match.service_id].name
        return f"{where}的办事指南没有单列“{special}”，以下是{where}“{general}”的规定："

    def _city_preface(self, name: str, cities: tuple[str, ...], channel: Channel) -> str:
        names = [self.kb.region_codes[c].name for c in cities]
        if channel is Channel.HOTLINE:
            return f"{names[0]}的指南是这样说的，其他州市以当地为准："
        others = f"；{'、'.join(names[1:])}的指南也有这一事项" if len(names) > 1 else ""
        return (
            f"全省通办清单没有“{name}”，各州市的要求可能不同。以下按{names[0]}的办事指南回答"
            f"{others}，告诉我您的参保地可按当地指南回答。"
        )

    def _hand_off(
        self, turn: _Turn, session: Session, reply: Reply, *, reason: str, question: str = ""
    ) -> None:
        """Say so and give the number to call; `question` is the one handed off when an earlier
        turn asked it."""
        region = turn.region or session.region or PROVINCE
        contacts = contacts_for(self.kb, region, turn.county)
        phone = dialable(contacts[0][1].phones[0]) if contacts else PROVINCE_HOTLINE
        reply.handoff = Handoff(reason, phone, question or None)
        reply.region = turn.region or session.region
        session.options, session.offered_for = [], ""  # the conversation has moved on
        reply.answer_text = {
            "out_of_scope": (
                f"这个问题不在医保办事指南的范围内，建议拨打{PROVINCE_HOTLINE}政务服务便民热线咨询。"
            ),
            "small_talk": (
                "您好，我是医保办事指南助手，可以问我医保业务要带什么材料、多久办好、去哪里办、"
                f"电话多少。需要人工服务请拨打{PROVINCE_HOTLINE}。"
            ),
            "declined": f"抱歉，没有找到您要问的业务。您可以换个说法再问我，或拨打 {phone} 咨询。",
        }.get(reason, f"这个问题指南里没有答案，请拨打 {phone} 咨询。")

    def _asks_if_it_can_be_done_here(
        self, turn: _Turn, code: str, aspects: tuple[Aspect, ...]
    ) -> bool:
        """Whether it can be done away from the 参保地, or where: another place of the province
        is named beside it (医保在楚雄…能在昆明的窗口办吗, 在昆明生孩子…非得跑回玉溪才能报)."""
        if not set(aspects) & _WHETHER_HERE:
            return False
        in_province = [PROVINCE in self.kb.ancestry(r) for r in (code, *turn.others)]
        return in_province[0] and any(in_province[1:])

    def _beyond_the_guides(self, place: str, reply: Reply) -> Reply:
        """Insured in 长沙 or 深圳: their own office's rules, which no guide here states. (Moving
        the insurance from there to here is still answered, by the guide of where it goes.)"""
        reply.handoff = Handoff("not_covered", PROVINCE_HOTLINE)
        ours = "、".join(entry.name for entry in self.kb.region_codes.values())
        reply.answer_text = (
            f"{place}不在本服务所依据的办事指南范围内（{ours}），"
            f"无法回答{place}当地的办理要求。请咨询{place}当地的医保经办机构，"
            f"或拨打 {PROVINCE_HOTLINE} 咨询。"
        )
        return reply

    def _answer(
        self,
        turn: _Turn,
        session: Session,
        match: Match,
        region: str | None,
        channel: Channel,
        reply: Reply,
        today: date | None,
    ) -> Reply:
        if match.service_id != session.service:
            session.variant = None
        moving_to = turn.destination if match.service_id in DESTINATION_DECIDES else None
        if moving_to and not self._covered(match.service_id, moving_to):
            moving_to = None  # 昆明's guides do not list its hospitals: the 参保地's guide does
        if moving_to and turn.region and _MOVING_OUT in turn.text:
            moving_to = None  # 把玉溪的医保关系转出去: the 参保地's own 转出, asked by name
        name = self.kb.catalog[match.service_id].name
        if turn.beyond is not None and moving_to is None:
            return self._beyond_the_guides(turn.beyond, reply)
        code = moving_to or turn.region or session.region or region or PROVINCE
        county = turn.county or (session.county if code == session.region else None)
        aspects = turn.aspects or tuple(Aspect(a) for a in session.aspects) or (Aspect.GENERAL,)
        preface = self._general_preface(match, code)
        chose_region = False  # the bot answers from a place the person did not name
        offices = (
            render_offices(
                self.kb,
                region=code,
                county=county,
                channel=channel,
                asked=character_pairs(turn.rest) - _EVERY_LINE,
                where=Aspect.WHERE in aspects,
            )
            if match.service_id == OFFICES_SERVICE and not self._covered(OFFICES_SERVICE, code)
            else None
        )
        cities = self._cities_with(match.service_id) if code == PROVINCE else ()
        uncovered = offices is None and not self._covered(match.service_id, code)
        if uncovered and cities:
            # Asked province-wide of a city-only service: answer from a city's guide, say so,
            # and let a reply naming the 参保地 (a quick reply) switch to that city's guide.
            code, county, chose_region = cities[0], None, True
            preface = self._city_preface(name, cities, channel)
            reply.quick_replies = [self.kb.region_codes[c].name for c in cities]
        named_none = not (turn.region or session.region or region)
        elsewhere = self._regions_elsewhere_with(match.service_id) if uncovered else ()
        if not cities and elsewhere and named_none:
            # No place named, and only 岳阳 (Hunan) has it (一次性生育补助金): its guide, said to be
            # Hunan's and none of Yunnan's; a Yunnan region named still gets "not covered".
            code, county, chose_region = elsewhere[0], None, True
            preface = self._elsewhere_preface(name, code)
            reply.quick_replies = [self.kb.region_codes[code].name]
        if offices is None and not self._covered(match.service_id, code):
            region_name = self.kb.region_codes[code].name
            self._hand_off(turn, session, reply, reason="not_covered")
            reply.region = code
            phone = reply.handoff.phone if reply.handoff else PROVINCE_HOTLINE
            reply.answer_text = (
                f"{region_name}的办事指南没有“{name}”这一事项，无法按其他地区的指南回答。"
                f"请拨打 {phone} 咨询当地医保经办机构。"
            )
            return reply
        variant = match.variant or session.variant or self._sub_item(turn, match, code)
        rendered = offices or render_answer(
            self.kb,
            region=code,
            service=match.service_id,
            aspects=aspects[: MAX_ASPECTS.get(channel, MAX_SHOWN_ASPECTS)],
            county=county,
            variant=variant,
            channel=channel,
            today=today,
            calendar=self.calendar,
            named=character_pairs(turn.text) - _EVERY_CHANNEL,
        )
        across = (
            render_province_wide(self.kb, match.service_id, channel)
            if offices is None and self._asks_if_it_can_be_done_here(turn, code, aspects)
            else None
        )
        if across is not None and across.text not in rendered.text:
            rendered.text = f"{rendered.text} {across.text}"
            rendered.sources += [s for s in across.sources if s not in rendered.sources]
        reply.service = Option(match.service_id, name)
        reply.region = code
        reply.aspect = aspects[0].value
        reply.answer_text = preface + rendered.text
        reply.sources = rendered.sources
        reply.checklist = rendered.checklist
        reply.confidence = round(min(1.0, match.score), 3)
        reply.quick_replies = reply.quick_replies or list(FOLLOW_UPS)
        session.service, session.county = match.service_id, county
        # A region the bot chose for the person is not theirs: the next turn may still name it.
        session.region = None if chose_region else code
        session.aspects = [a.value for a in aspects]
        session.variant = variant
        session.options, session.offered_for = [], ""
        return reply
