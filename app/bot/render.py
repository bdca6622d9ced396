"""Answers assembled only from knowledge-base facts, for one channel, each with its provenance.

The hotline's text is read aloud: it is short, its first sentence answers, it has no URLs or lists.
The mini-program's carries a checklist; the counter's carries everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from app.bot.lexicon import Aspect
from app.chinese_text import HANZI_RUN
from app.guides import lookup
from app.guides.kb import Channel as GuideChannel
from app.guides.kb import (
    ChannelKind,
    Contact,
    Details,
    Fact,
    KnowledgeBase,
    Material,
    MaterialForm,
    Office,
    Provenance,
    ServiceGuide,
    StepsAudience,
    Variant,
)
from app.working_days import WorkingCalendar

_T = TypeVar("_T")
HOTLINE_ITEMS = 5  # a listener keeps about five items in mind
HOTLINE_MATERIALS = 8  # ...but writes down what to bring: all of a usual list is read out
HOTLINE_NOTE = 40  # characters of a material's note still read out with it
HOTLINE_DATES = 2  # days of the month the steps set, read out with a time limit
HOTLINE_QUOTE = 30  # characters of a guide's own wording of a time limit still read out (次月生效)
HOTLINE_SUB_ITEMS = 2  # more sub-items than this, each with its own list: ask which one first
PROVINCE_HOTLINE = "12345"
FORM_LABELS = {
    MaterialForm.ORIGINAL: "原件",
    MaterialForm.COPY: "复印件",
    MaterialForm.ORIGINAL_AND_COPY: "原件及复印件",
}
# Which guide field an aspect reads, to find the nearest guide that has it and its conflicts.
ASPECT_FIELD = {
    Aspect.MATERIALS: "materials",
    Aspect.TIME_LIMIT: "time_limit",
    Aspect.WHERE: "offices",
    Aspect.PHONE: "offices",
    Aspect.CONDITIONS: "conditions",
    Aspect.PROCESS: "steps",
    Aspect.CHANNEL: "channels",
    Aspect.VALIDITY: "validity",
    Aspect.FEE: "fees",
}


class Channel(StrEnum):
    MINIPROGRAM = "miniprogram"
    HOTLINE = "hotline"
    COUNTER = "counter"


@dataclass(frozen=True, slots=True)
class Source:
    region: str
    seed: str
    lines: tuple[int, int]


@dataclass(slots=True)
class Rendered:
    """One answer: its text, the facts' provenance, and the mini-program's structured parts."""

    text: str
    sources: list[Source] = field(default_factory=list)
    checklist: list[dict[str, object]] = field(default_factory=list)


@dataclass(slots=True)
class _Writer:
    kb: KnowledgeBase
    region: str
    county: str | None
    channel: Channel
    today: date | None = None
    calendar: WorkingCalendar | None = None
    # The question's character pairs: a channel or a material it names comes first, or in full.
    named: frozenset[str] = frozenset()
    sources: list[Source] = field(default_factory=list)
    _cited: set[Source] = field(default_factory=set)  # a table's 40 lines: no list scan each

    def cite(self, region: str, provenance: Provenance | None) -> None:
        if provenance is not None:
            source = Source(region, provenance.seed, provenance.lines)
            if source not in self._cited:
                self._cited.add(source)
                self.sources.append(source)

    def listing(self, items: list[str], *, read_aloud: int = HOTLINE_ITEMS) -> str:
        # The same office or phone often stands in several services' tables: say it once.
        items = list(dict.fromkeys(items))
        if self.channel is Channel.HOTLINE:
            shown = items[:read_aloud]
            more = f"等{len(items)}项" if len(items) > len(shown) else ""
            # Items that hold a 、 themselves (two phones) are told apart by a longer pause.
            pause = "；" if any("、" in item for item in shown) else "、"
            return pause.join(shown) + more
        return "；".join(f"{i}. {item}" for i, item in enumerate(items, 1))

    def as_printed(self, fact: Fact) -> str:
        """A fact in our words; where the guide prints its numbers otherwise (每月 1-5 日), also
        as printed, so that it can be found in the guide. Read aloud, where the two differ only
        in spaces, as printed instead: it sounds the same and says it to the letter."""
        text = fact.text.rstrip("。")
        quote = (fact.quote or "").rstrip("。")
        if not _PRINTED_SPACED.search(quote) or quote in text:
            return text
        if self.channel is Channel.HOTLINE:
            return quote if quote.replace(" ", "") == text.replace(" ", "") else text
        return f"{text}（指南原文：“{quote}”）"


# A number the typeset guide sets apart with spaces (共 25 种, 2019 年 1 月).
_PRINTED_SPACED = re.compile(r"\d\s+[\u4e00-\u9fff]|[\u4e00-\u9fff]\s+\d")


def character_pairs(text: str) -> set[str]:
    """The character pairs of the Chinese in a text: what may name a phone line (监督电话 →
    监督), a channel (自助机 → 自助) or a material (电子照片有什么要求 → 照片)."""
    return {run[i : i + 2] for run in HANZI_RUN.findall(text) for i in range(len(run) - 1)}


# A count printed right before a material's name (2 张照片): read without a pattern per name.
_COUNTED = re.compile(r"\d+\s*[张份本页套]\s*$")


def _as_printed(material: Material) -> tuple[str, bool, bool]:
    """The material's name as its line prints it with its count (2 张照片) or its note
    (住院费用清单（加盖医院印章）), which a citizen reads on the form and a writer copies; and
    whether that print already gives the count, and the note."""
    name, quote, note = material.name, material.quote or "", material.note or ""
    at = quote.find(name) if name else -1
    while at >= 0:
        counted = _COUNTED.search(quote, 0, at)
        if counted is not None:
            return quote[counted.start() : at + len(name)], True, False
        at = quote.find(name, at + 1)
    for opening, closing in (("（", "）"), ("(", ")")):
        printed = f"{name}{opening}{note}{closing}"
        if note and printed in quote:
            return printed, False, True
    return name, False, False


def _material_label(material: Material, *, spoken: bool, named: frozenset[str]) -> str:
    label, counted, noted = _as_printed(material)
    note = "" if noted else material.note or ""
    # Read aloud, what counts as the thing (派出证明、工作合同任选其一) still, if it is short, and
    # all of it for the thing asked about (电子照片有什么要求: its size and pixels).
    if spoken:
        asked = any(pair in label for pair in named)
        extras = [note] if len(note) <= HOTLINE_NOTE or asked else []
    else:
        extras = [FORM_LABELS.get(material.form, ""), note]
    if material.copies and not spoken and not counted:
        extras.append(f"{material.copies}份")
    if not material.required:
        extras.append("如有")
    # What the name or the note already says (医院收费票据（原件）, 收复印件1份) is not said twice.
    said = label
    shown = []
    for extra in extras:
        if extra and extra not in said:
            shown.append(extra)
            said += extra
    if not shown:
        return label
    # After a note printed in brackets, ours follow it rather than open a second pair.
    return f"{label}，{'，'.join(shown)}" if noted else f"{label}（{'，'.join(shown)}）"


def _details(guide: ServiceGuide, variant: str | None) -> Details:
    chosen = guide.variant(variant) if variant else None
    return chosen if chosen is not None else guide


def _pick(details: Details, guide: ServiceGuide, get: Callable[[Details], _T]) -> _T:
    """A variant's own list where it has one, else the service's."""
    return get(details) or get(guide)


def _materials(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    materials = _pick(details, answer.guide, lambda d: d.materials)
    if not materials:
        return f"{name}的指南没有列出需要的材料。"
    spoken = w.channel is Channel.HOTLINE
    for material in materials:
        w.cite(answer.source_region, material.source)
    common = [_material_label(m, spoken=spoken, named=w.named) for m in materials if m.case is None]
    most = HOTLINE_MATERIALS
    text = (
        f"办理{name}需要：{w.listing(common, read_aloud=most)}。"
        if common
        else f"办理{name}的材料因情形而异。"
    )
    cases: dict[str, list[str]] = {}
    for material in materials:
        if material.case is not None:
            label = _material_label(material, spoken=spoken, named=w.named)
            cases.setdefault(material.case, []).append(label)
    for case, labels in cases.items():
        text += f"{case}的：{w.listing(labels, read_aloud=most)}。"
    return text + _by_proxy(w, answer, details)


# A note on what someone sent by the person brings (受托人…授权委托书): part of what to bring.
_BY_PROXY = re.compile(r"委托他人|代领|受托人|代理人")


def _by_proxy(w: _Writer, answer: lookup.GuideAnswer, details: Details) -> str:
    region = w.kb.regions.get(answer.source_region)
    notes = (*_pick(details, answer.guide, lambda d: d.notes), *(region.notes if region else ()))
    return _sentences(w, answer, [f for f in notes if _BY_PROXY.search(f.text)])


def _sentences(w: _Writer, answer: lookup.GuideAnswer, facts: list[Fact]) -> str:
    """Facts said one after another, each cited."""
    for fact in facts:
        w.cite(answer.source_region, fact.source)
    return "".join(f"{w.as_printed(f)}。" for f in facts)


def _days(days: int) -> str:
    return "即时办结" if days == 0 else f"{days}个工作日"


def _time_limit(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    limit = details.time_limit or answer.guide.time_limit
    if limit is None:
        return f"{name}的指南没有写明办理时限。"
    w.cite(answer.source_region, limit.source)
    quoted = limit.text.strip().rstrip("。.；;，,")
    if limit.promised_days is not None:
        text = f"{name}承诺{_days(limit.promised_days)}"
        if limit.statutory_days is not None and limit.statutory_days != limit.promised_days:
            text += f"（规定时限{_days(limit.statutory_days)}）"
    elif limit.statutory_days is not None:
        text = f"{name}的办理时限是{_days(limit.statutory_days)}"
    else:
        # No one number to give: the guide's words are the answer, in our typography (5个工作日),
        # then as printed when that differs; read aloud, as printed only (it sounds the same).
        words = quoted if w.channel is Channel.HOTLINE else _unspaced(quoted)
        text = f"{name}的办理时限：{words}"
    # The guide's own words are quoted where they say more than the numbers, or say them
    # otherwise (6 个工作日): a reader can check the answer against the printed guide.
    spaced_otherwise = quoted.replace(" ", "") in text
    worded = _BARE_LIMIT.sub("", quoted) or spaced_otherwise
    if quoted not in text and worded:
        if w.channel is not Channel.HOTLINE:
            text += f"，指南原文：“{quoted}”"
        elif len(quoted) <= HOTLINE_QUOTE:
            text += f"，指南原文是：{quoted}"  # short enough to be read out too
    text += "。" + _estimate(w, limit.promised_days or limit.statutory_days or 0)
    window = details.acceptance_window or answer.guide.acceptance_window
    if window is not None:
        w.cite(answer.source_region, window.source)
        text += f"受理时间：{window.text.rstrip('。')}。"
    return text + _dates_in_the_steps(w, answer, details)


# A day the guide's steps or notes set in each month, quarter or year (每月10日前…对账, 每年业务
# 办理期，于9月30日前报名单), or the month after another step (停保后次月申请转出): "几号前" and
# "停保以后多久能开" ask for it.
_RECURRING_DAY = re.compile(r"每(?:个)?(?:月|季度|年)[^。；]*?\d+\s*(?:个工作)?[日号]|次月")


def _dates_in_the_steps(w: _Writer, answer: lookup.GuideAnswer, details: Details) -> str:
    facts = [
        f
        for f in (
            *_pick(details, answer.guide, lambda d: d.steps),
            *_pick(details, answer.guide, lambda d: d.notes),
        )
        if _RECURRING_DAY.search(f.text)
    ]
    if w.channel is Channel.HOTLINE:
        facts = facts[:HOTLINE_DATES]  # read aloud, the first dates; the rest are one question away
    return _sentences(w, answer, facts)


# What a time limit's wording holds beyond its numbers (a table flattened into "即时办结 工作日
# 即时办结"): the original is quoted only when something is left after removing these.
_DIGITS = re.compile(r"\d{3,}")
_BARE_LIMIT = re.compile(r"[\s\d个]|工作日|即时办结|限时办结|承诺|法定|时限|办结|[^\w]")
_SPACED_NUMBER = re.compile(r"\s*(\d[\d.\-~～]*)\s*")


def _unspaced(text: str) -> str:
    """Numbers without the spaces a typeset guide puts round them (每月 1-15 日 → 每月1-15日)."""
    return _SPACED_NUMBER.sub(r"\1", text)


def _estimate(w: _Writer, days: int) -> str:
    """When a deadline of that many working days would fall if accepted today (调休 counted)."""
    if not days or w.today is None or w.calendar is None:
        return ""
    due = w.calendar.add_working_days(w.today, days)
    note = "（该年节假日安排尚未公布，为估算）" if due.provisional else ""
    return f"如今天受理，约在{due.day.month}月{due.day.day}日前办结{note}。"


def _offices(w: _Writer, answer: lookup.GuideAnswer) -> list[Office]:
    guide = answer.guide
    offices = [
        o for d in (guide, *guide.variants) for o in w.kb.offices_of(d, answer.source_region)
    ]
    if w.county is not None:
        in_county = [o for o in offices if o.county == w.county]
        offices = in_county or [o for o in offices if o.county is None]
    return list(dict.fromkeys(offices))


def _office_line(office: Office, *, with_address: bool) -> str:
    who = office.county or office.name
    parts = [who]
    if with_address and office.address:
        parts.append(office.address)
    if office.phones:
        parts.append("电话 " + "、".join(office.phones))
    return "，".join(parts)


# A step done somewhere named (到税务窗口录入缴纳): where, when the guide lists no office.
_PLACE = re.compile(r"窗口|大厅|网点|平台|银行|社区|村委会|街道|乡镇")
# ...unless the step is the counter staff's own work: in their system (经办系统, a screen named
# “…”中), by 经办人员, or passing papers between their sections (流转).
_STAFF_OPERATION = re.compile(r"经办系统|经办人员|“[^”]+”(?:中|页面|及其)|“[^”]*—|【|流转|受理")
# A note that gives the service's phone number (联系电话：68510874).
_NOTED_PHONE = re.compile(r"(?:联系|咨询)电话[：:为]?\s*[\d（(]")
# A note that gives the address (办理地址为…便民服务中心): where to go, in the guide's words.
_ADDRESS = re.compile(r"^办理地址(?:和联系电话)?为")


def _notes_saying(details: Details, guide: ServiceGuide, pattern: re.Pattern[str]) -> list[Fact]:
    """The notes (a sub-item's own, else the service's) that say what the pattern finds."""
    return [f for f in _pick(details, guide, lambda d: d.notes) if pattern.search(f.text)]


def _citizens_steps(details: Details, guide: ServiceGuide) -> list[Fact]:
    """The steps, less the counter staff's own operations."""
    return [
        f for f in _pick(details, guide, lambda d: d.steps) if not _STAFF_OPERATION.search(f.text)
    ]


def _where(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    offices = _offices(w, answer)
    for office in offices:
        w.cite(answer.source_region, office.source)
    parts = []
    if offices:
        lines = [_office_line(o, with_address=True) for o in offices]
        parts.append(f"{name}可到：{w.listing(lines)}。")
    channels = _pick(details, answer.guide, lambda d: d.channels)
    parts += _channel_places(w, answer, channels, name, first=not parts)
    addresses = _notes_saying(details, answer.guide, _ADDRESS)
    if addresses:
        parts.append(_sentences(w, answer, addresses))
    if parts and isinstance(details, Variant) and details.summary:
        # The guide's offices are every sub-item's; a sub-item's own summary says where it
        # differs (补卡 is at the 合作银行网点).
        w.cite(answer.source_region, details.source)
        parts.append(details.summary.rstrip("。") + "。")
    if not parts and details is answer.guide:
        # Only the sub-items say where (参保缴费: 税务公众号, 银行代缴网点): each its own.
        for variant in answer.guide.variants:
            parts += _channel_places(w, answer, variant.channels, variant.name, first=True)
    if parts:
        return "".join(parts)
    lines = _contact_lines(w)
    ask = f"可先致电：{w.listing(lines)}。" if lines else "请咨询当地医保经办机构。"
    # No office or channel listed, but the steps say where each step is done (到税务窗口缴纳).
    steps = [f for f in _citizens_steps(details, answer.guide) if _PLACE.search(f.text)]
    if steps:
        return f"{name}的指南没有列出办理地点，办理流程中写明：{_sentences(w, answer, steps)}{ask}"
    return f"{name}的指南没有写明办理地点，{ask}"


def _channel_places(
    w: _Writer,
    answer: lookup.GuideAnswer,
    channels: tuple[GuideChannel, ...],
    name: str,
    *,
    first: bool,
) -> list[str]:
    """Where the channels say to go or to log in: counters first, then apps and terminals."""
    for channel in channels:
        w.cite(answer.source_region, channel.source)

    # Without a trailing 办理 of the name's own (网上办理): the sentence says 办理 once.
    def named(kind: ChannelKind) -> list[str]:
        return [c.name.removesuffix("办理") or c.name for c in channels if c.kind is kind]

    online = named(ChannelKind.ONLINE)
    # A self-service terminal is a place to go too: never cut off behind the apps.
    terminals = named(ChannelKind.TERMINAL)
    onsite = named(ChannelKind.ONSITE)
    parts = []
    if onsite:
        parts.append(f"{name if first else '也'}可到{'、'.join(onsite[:3])}办理。")
    if online or terminals:
        subject = name if first and not parts else "也"
        parts.append(f"{subject}可在{'、'.join(online[:3] + terminals)}办理。")
    return parts


def _phone(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    # A line the guide lists as a channel (12333 社保卡挂失) comes before the offices' phones.
    hotlines = [
        c
        for c in _pick(details, answer.guide, lambda d: d.channels)
        if c.kind.value == "phone" and _DIGITS.search(c.name)
    ]
    offices = [o for o in _offices(w, answer) if o.phones]
    for source in (*(c.source for c in hotlines), *(o.source for o in offices)):
        w.cite(answer.source_region, source)
    # A note giving the service's own number (联系电话：68510874) before the offices' lines.
    noted = _sentences(w, answer, _notes_saying(details, answer.guide, _NOTED_PHONE))
    if hotlines or offices:
        lines = [c.name for c in hotlines]
        lines += [_office_line(o, with_address=False) for o in offices]
        return f"{noted}{name}的咨询电话：{w.listing(lines)}。"
    if noted:
        return noted
    lines = _contact_lines(w)
    if lines:
        return f"{w.listing(lines)}。"
    return f"{name}的指南没有写明咨询电话，可拨打{PROVINCE_HOTLINE}政务服务便民热线。"


def _contact_lines(w: _Writer) -> list[str]:
    """The county's phone lines, or the region's own without every county's: whom to ask what
    the guide leaves out."""
    contacts = contacts_for(w.kb, w.region, w.county)
    if w.county is None:
        contacts = [(r, c) for r, c in contacts if c.county is None] or contacts
    for region, contact in contacts:
        w.cite(region, contact.source)
    return [_contact_line(c) for _, c in contacts]


def _contact_line(contact: Contact) -> str:
    return f"{contact.name} {'、'.join(contact.phones)}"


def _facts(label: str, empty: str, get: Callable[[Details], tuple[Fact, ...]]) -> _AspectWriter:
    def write(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
        facts = _pick(details, answer.guide, get)
        for fact in facts:
            w.cite(answer.source_region, fact.source)
        if not facts:
            return f"{name}的指南{empty}。"
        return f"{name}{label}：{w.listing([w.as_printed(f) for f in facts])}。"

    return write


_steps = _facts("的办理流程", "没有写明办理流程", lambda d: d.steps)
_conditions_listed = _facts("的办理条件", "没有写明办理条件", lambda d: d.conditions)
# A note on what is not paid or not accepted (非定点医药机构…不予支付), or on applying away from
# the 参保地 (全省通办…不受参保地限制): part of whether one can.
_WHETHER = re.compile(r"不予(?:支付|受理|办理|报销)|不受参保地(?:域)?限制")


def _who_may(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    """The conditions, and what the guide excludes."""
    notes = _notes_saying(details, answer.guide, _WHETHER)
    return _conditions_listed(w, answer, details, name) + _sentences(w, answer, notes)


def _conditions(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    listed = _who_may(w, answer, details, name)
    # Whether one may is often settled by what the summary says (不受参保地域限制, 办理停保后):
    # on a screen, it follows the conditions.
    summary = details.summary or answer.guide.summary
    if w.channel is Channel.HOTLINE or not summary or summary.rstrip("。") in listed:
        return listed
    w.cite(answer.source_region, answer.guide.source)
    return listed + summary.rstrip("。") + "。"


def _process(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    """The steps; or, where they are the counter staff's own system operations, told to anyone
    but the counter: that the counter does it."""
    region = w.kb.regions.get(answer.source_region)
    for_staff = region is not None and region.steps_audience is StepsAudience.STAFF
    if w.channel is Channel.COUNTER or not for_staff:
        return _steps(w, answer, details, name)
    told = f"{name}由医保经办窗口的工作人员办理。"  # what to bring follows: see render_answer
    # A step that is the citizen's own (到税务窗口录入缴纳) is still told.
    theirs = _citizens_steps(details, answer.guide)
    return told + (f"指南还写明：{_sentences(w, answer, theirs)}" if theirs else "")


def _channels(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    channels = _pick(details, answer.guide, lambda d: d.channels)
    for channel in channels:
        w.cite(answer.source_region, channel.source)
    if not channels:
        return f"{name}的指南没有写明办理渠道。"
    show_url = w.channel is not Channel.HOTLINE
    # The one asked about (自助机能打吗, 国家异地就医备案小程序上能办吗) before the others.
    ordered = sorted(channels, key=lambda c: not any(pair in c.name for pair in w.named))
    labels = [f"{c.name}（{c.url}）" if show_url and c.url else c.name for c in ordered]
    if all(c.kind is ChannelKind.ONSITE for c in channels):
        # Asked whether it can be done online (手机上能弄吗): the guide's answer is no.
        return f"{name}的指南只列了线下办理，需现场办理：{w.listing(labels)}。"
    text = f"{name}可以通过：{w.listing(labels)}。"
    summary = details.summary or answer.guide.summary or ""
    if w.channel is not Channel.HOTLINE and _ONLINE.search(summary):
        # What the guide says of doing it online (线上可自助下载…带电子印章的证明), on a screen.
        w.cite(answer.source_region, answer.guide.source)
        text += summary.rstrip("。") + "。"
    return text


_ONLINE = re.compile(r"线上|网上|网办|自助|下载|手机|APP|小程序")


def _fee(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    fees = details.fees or answer.guide.fees
    if fees is None:
        return f"{name}的指南没有写明收费。"
    w.cite(answer.source_region, fees.source)
    return f"{name}：{fees.text}"


def _general(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    summary = details.summary or answer.guide.summary or ""
    w.cite(answer.source_region, answer.guide.source)
    parts = [summary.rstrip("。") + "。" if summary else ""]
    if _pick(details, answer.guide, lambda d: d.conditions):
        parts.append(_who_may(w, answer, details, name))  # the summary is said already
    if details.time_limit or answer.guide.time_limit:
        parts.append(_time_limit(w, answer, details, name))
    if _pick(details, answer.guide, lambda d: d.materials) or _sub_item_materials(answer, details):
        parts.append(_materials_of_each(w, answer, details, name))
    # How long it holds, or by when to act (备案 six months, 领奖 within 30 days): on a screen.
    if w.channel is not Channel.HOTLINE and _pick(details, answer.guide, lambda d: d.validity):
        parts.append(WRITERS[Aspect.VALIDITY](w, answer, details, name))
    return "".join(parts)


def _sub_item_materials(answer: lookup.GuideAnswer, details: Details) -> list[Variant]:
    """The sub-items with materials of their own, when only they list any and none was named."""
    if details is not answer.guide or _pick(details, answer.guide, lambda d: d.materials):
        return []
    return [v for v in answer.guide.variants if v.materials]


def _materials_of_each(w: _Writer, answer: lookup.GuideAnswer, details: Details, name: str) -> str:
    """The materials; where only the sub-items list them (新参保制卡, 补卡…), each one's own, or,
    read aloud, more lists than a listener keeps in mind become the question which one."""
    listing = _sub_item_materials(answer, details)
    if not listing:
        return _materials(w, answer, details, name)
    if w.channel is Channel.HOTLINE and len(listing) > HOTLINE_SUB_ITEMS:
        return _first_case_then_the_others(w, answer, listing, _materials)
    return "".join(_materials(w, answer, v, v.name) for v in listing)


def _first_case_then_the_others(
    w: _Writer, answer: lookup.GuideAnswer, cases: list[Variant], write: _AspectWriter
) -> str:
    """Read aloud, more sub-items than a listener keeps apart: the first (the common case, as
    the guide orders them) answered, the others named, to be asked for."""
    others = w.listing([v.name for v in cases[1:]])
    first = write(w, answer, cases[0], cases[0].name)
    return f"{first}另有{others}的情况，要求不同，请说明是哪一种。"


_AspectWriter = Callable[[_Writer, lookup.GuideAnswer, Details, str], str]
WRITERS: dict[Aspect, _AspectWriter] = {
    Aspect.MATERIALS: _materials,
    Aspect.TIME_LIMIT: _time_limit,
    Aspect.WHERE: _where,
    Aspect.PHONE: _phone,
    Aspect.CONDITIONS: _conditions,
    Aspect.PROCESS: _process,
    Aspect.CHANNEL: _channels,
    Aspect.VALIDITY: _facts("的有效期规定", "没有写明有效期", lambda d: d.validity),
    Aspect.FEE: _fee,
    Aspect.GENERAL: _general,
}


def _states(details: Details, aspect: Aspect) -> bool:
    """Whether a guide or a sub-item states what the aspect asks."""
    name = ASPECT_FIELD.get(aspect)
    if name is None:
        return True
    if aspect is Aspect.WHERE:
        # Where: an office, or a counter or app its channels name (定点医疗机构医保服务窗口).
        return bool(details.offices or details.offices_table or details.channels)
    if name == "offices":
        return bool(details.offices or details.offices_table)
    return bool(getattr(details, name))


def _has_field(aspect: Aspect) -> Callable[[ServiceGuide], bool]:
    """A guide states it itself or in one of its sub-items."""
    return lambda guide: any(_states(d, aspect) for d in (guide, *guide.variants))


def contacts_for(kb: KnowledgeBase, region: str, county: str | None) -> list[tuple[str, Contact]]:
    """Region-wide phones, the county's first; the nearest region that lists any."""
    for code in kb.ancestry(region):
        entry = kb.regions.get(code)
        contacts = [c for c in entry.contacts if c.phones] if entry else []
        if county is not None:
            contacts = [c for c in contacts if c.county == county] or contacts
        if contacts:
            return [(code, c) for c in contacts]
    return []


def render_offices(
    kb: KnowledgeBase,
    *,
    region: str,
    county: str | None,
    channel: Channel,
    asked: Iterable[str] = (),
    where: bool = False,
) -> Rendered | None:
    """Where to go and whom to call from the region's own tables (region.yaml), for a guide that
    has no 经办机构 item of its own; None when the region lists neither offices nor phones. A
    line named by one of the words asked (监督) comes first; asked where, addresses are read
    aloud too."""
    words = tuple(asked)
    writer = _Writer(kb, region, county, channel)
    entry = kb.regions.get(region)
    tables = entry.office_tables.values() if entry else ()
    offices = list(dict.fromkeys(o for table in tables for o in table))
    if county is not None:
        offices = [o for o in offices if o.county == county] or offices
    contacts = contacts_for(kb, region, county)
    for office in offices:
        writer.cite(region, office.source)
    on_screen = channel is not Channel.HOTLINE
    # What was asked for first; then where to go before whom to call: a line with an address
    # (经开区's 经办机构 before its 26 community service stations' phones).
    addressed = on_screen or where
    lines = [
        (any(p in o.name for p in words), bool(o.address), _office_line(o, with_address=addressed))
        for o in offices
    ]
    said = {phone for office in offices for phone in office.phones}
    for code, contact in contacts:
        # Read aloud, a number already given with its office is not given again under the
        # longer name of what it answers, unless that name was asked for; on a screen, that
        # name says which line is which.
        named = any(p in contact.name for p in words)
        if on_screen or named or not set(contact.phones) <= said:
            writer.cite(code, contact.source)
            line = _contact_line(contact)
            if addressed and contact.address:
                line += f"，地址：{contact.address}"
            lines.append((named, bool(contact.address), line))
    if not lines:
        return None
    ordered = [line for _, _, line in sorted(lines, key=lambda item: (not item[0], not item[1]))]
    return Rendered(f"{writer.listing(ordered)}。", writer.sources)


def render_answer(
    kb: KnowledgeBase,
    *,
    region: str,
    service: str,
    aspects: Iterable[Aspect],
    county: str | None,
    variant: str | None,
    channel: Channel,
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
    named: Iterable[str] = (),
) -> Rendered:
    """The answer to each aspect asked, from the nearest guide that states it, with sources.

    With today and a calendar, a time limit in working days also gets its estimated date.
    Channels that `named` (character pairs of the question) names come first.
    """
    writer = _Writer(kb, region, county, channel, today, calendar, frozenset(named))
    texts: list[str] = []
    checklist: list[dict[str, object]] = []
    asked = list(aspects)
    implied = set()
    if Aspect.MATERIALS not in asked and (
        Aspect.PROCESS in asked
        or (Aspect.CONDITIONS in asked and _only_whom_it_serves(kb, region, service))
    ):
        # How to do it is also what to bring; and where the conditions only say whom the
        # service is for (服务对象为自然人…), what it requires is in what to bring (执业药师资格
        # 证书 for 必须要有执业药师吗).
        implied.add(Aspect.MATERIALS)
        asked.append(Aspect.MATERIALS)
    for aspect in asked:
        answer = lookup.find_guide(kb, region, service, having=_has_field(aspect))
        details = _details(answer.guide, variant)
        name = details.name if isinstance(details, Variant) else answer.guide.name
        by_variant = [
            v for v in answer.guide.variants if details is answer.guide and _states(v, aspect)
        ]
        stated = by_variant or _states(details, aspect) or _states(answer.guide, aspect)
        if aspect in implied and not stated:
            continue  # not asked, and nothing to say: not "the guide lists no materials"
        if aspect in PER_VARIANT and by_variant and not _states(answer.guide, aspect):
            # Only the sub-items state it (新参保 / 停保 / 转退休 each their own list): each one,
            # or, read aloud, the first and the others' names: four lists are too many to follow.
            if channel is Channel.HOTLINE and len(by_variant) > HOTLINE_SUB_ITEMS:
                texts.append(
                    _first_case_then_the_others(writer, answer, by_variant, WRITERS[aspect])
                )
            else:
                texts.extend(WRITERS[aspect](writer, answer, v, v.name) for v in by_variant)
        else:
            texts.append(WRITERS[aspect](writer, answer, details, name))
        if aspect in PER_VARIANT and not _has_field(aspect)(answer.guide):
            # No guide states it: what the guide does say of the service may still answer
            # (出生多久以内可以办 → its summary says 出生12个月内).
            summary = details.summary or answer.guide.summary
            if summary and summary not in texts:
                writer.cite(answer.source_region, answer.guide.source)
                texts.append(summary)
        texts.extend(_conflict_notes(writer, answer, aspect))
        if aspect is Aspect.MATERIALS and channel is Channel.MINIPROGRAM:
            checklist = [
                {"name": m.name, "case": m.case, "required": m.required, "channel": m.channel.value}
                for m in _pick(details, answer.guide, lambda d: d.materials)
            ]
    return Rendered(" ".join(t for t in texts if t), writer.sources, checklist)


_WHOM_IT_SERVES = re.compile("^服务对象为")


def _only_whom_it_serves(kb: KnowledgeBase, region: str, service: str) -> bool:
    guide = lookup.find_guide(kb, region, service, having=_has_field(Aspect.CONDITIONS)).guide
    return bool(guide.conditions) and all(_WHOM_IT_SERVES.match(c.text) for c in guide.conditions)


# The 全省通办 list's note on a service, and the words saying where one applies does not matter.
_PROVINCE_WIDE = re.compile("^全省通办")
_UNBOUND = re.compile(r"不受参保地(?:域)?限制")


def render_province_wide(kb: KnowledgeBase, service: str, channel: Channel) -> Rendered | None:
    """What the province's 全省通办 list says of doing a service away from the 参保地, for a
    question that asks whether it can be done where one is (医保在楚雄…能在昆明的窗口办吗): the
    list's note on it, and its summary where only that says 不受参保地限制."""
    guide = kb.guides.get((lookup.PROVINCE, service))
    if guide is None:
        return None
    writer = _Writer(kb, lookup.PROVINCE, None, channel)
    answer = lookup.GuideAnswer(lookup.PROVINCE, lookup.PROVINCE, guide)
    text = _sentences(writer, answer, _notes_saying(guide, guide, _PROVINCE_WIDE))
    if not _UNBOUND.search(text) and guide.summary and _UNBOUND.search(guide.summary):
        writer.cite(lookup.PROVINCE, guide.source)
        text += guide.summary
    return Rendered(text, writer.sources) if text else None


# Aspects a sub-item may state on its own; where and whom to call already gather every sub-item's.
PER_VARIANT = frozenset(ASPECT_FIELD) - {Aspect.WHERE, Aspect.PHONE}


def _conflict_notes(w: _Writer, answer: lookup.GuideAnswer, aspect: Aspect) -> list[str]:
    field_name = ASPECT_FIELD.get(aspect)
    notes = [c.note for c in answer.guide.conflicts if c.field == field_name]
    region = w.kb.regions.get(answer.source_region)
    if w.county is not None and region is not None:
        # A disagreement over another county's office (姚安县's phones) is not this county's.
        others = [c for c in region.counties if c != w.county]
        notes = [n for n in notes if w.county in n or not any(c in n for c in others)]
    if not notes:
        return []
    if w.channel is Channel.HOTLINE:
        return ["各份指南对此说法不一，办理前请向经办机构确认。"]
    return [f"注意：指南之间说法不一（{'；'.join(notes)}），办理前请向经办机构确认。"]
