"""Where a 生育 claim stands: its status, its 承诺办结 date, and the view of it with its live
checklist (what the guide asks, what the claim carries, what is missing).

The date is counted in working days on the Chinese calendar from acceptance (受理); the days the
claim waits for 补正 after acceptance, from the day it is returned to the day it is resubmitted,
do not count. While it waits there is no date (`paused`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.guides.kb import KnowledgeBase
from app.selfservice.maternity import rules
from app.selfservice.maternity.checklist import Checklist, Need, build_checklist
from app.selfservice.maternity.models import MaternityClaim
from app.working_days import WorkingCalendar, china_day


class ClaimStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交，待受理
    ACCEPTED = "accepted"  # 已受理，审核中
    REVIEWED = "reviewed"  # 已审核
    SETTLED = "settled"  # 已结算
    PAID = "paid"  # 已拨付
    CORRECTION = "correction"  # 退回补正
    REFUSED = "refused"  # 不予受理


STATUS_NAMES = {
    ClaimStatus.DRAFT: "草稿",
    ClaimStatus.SUBMITTED: "已提交，待受理",
    ClaimStatus.ACCEPTED: "已受理，审核中",
    ClaimStatus.REVIEWED: "已审核，待结算",
    ClaimStatus.SETTLED: "已结算，待拨付",
    ClaimStatus.PAID: "已拨付",
    ClaimStatus.CORRECTION: "退回补正",
    ClaimStatus.REFUSED: "不予受理",
}
EDITABLE = {ClaimStatus.DRAFT, ClaimStatus.CORRECTION}
OPEN = {ClaimStatus.ACCEPTED, ClaimStatus.REVIEWED, ClaimStatus.SETTLED}  # the clock runs


@dataclass(frozen=True, slots=True)
class Promise:
    """The 承诺办结 date: None while paused for 补正; provisional over an unpublished year."""

    day: date | None
    provisional: bool
    paused: bool
    overdue: bool


@dataclass(frozen=True, slots=True)
class Item:
    """One checklist item and whether the claim carries it."""

    name: str
    need: Need
    case: str | None
    note: str | None
    satisfied: bool


@dataclass(frozen=True, slots=True)
class ClaimView:
    claim: MaternityClaim
    status_name: str
    promise: Promise | None
    service_name: str | None = None
    source_region: str | None = None
    checklist: tuple[Item, ...] = ()
    missing: tuple[str, ...] = ()


def promise_of(claim: MaternityClaim, calendar: WorkingCalendar, today: date) -> Promise | None:
    """承诺办结 from acceptance, the days waiting for 补正 (after acceptance) not counted."""
    if claim.accepted_at is None or claim.promised_days is None:
        return None
    spans: list[tuple[date, date]] = []
    waiting: date | None = None
    for event in claim.events:
        if event.action == "request_correction" and event.from_status != ClaimStatus.SUBMITTED:
            waiting = china_day(event.created_at)
        elif event.action == "resubmit" and waiting is not None:
            spans.append((waiting, china_day(event.created_at)))
            waiting = None
    if waiting is not None:
        return Promise(None, provisional=False, paused=True, overdue=False)
    due = calendar.add_working_days(china_day(claim.accepted_at), claim.promised_days, paused=spans)
    overdue = claim.status in OPEN and due.day < today
    return Promise(due.day, due.provisional, paused=False, overdue=overdue)


def facts_of(claim: MaternityClaim) -> rules.Facts:
    return rules.Facts(
        type=rules.ClaimType(claim.type),
        beneficiary=claim.beneficiary,
        allowance_kind=rules.AllowanceKind(claim.allowance_kind) if claim.allowance_kind else None,
        event_date=claim.event_date,
        claimed_amount=claim.claimed_amount,
        pay_to=claim.pay_to,
        bank_account_name=claim.bank_account_name,
        bank_account_no=claim.bank_account_no,
        bank_name=claim.bank_name,
        spouse_name=claim.spouse_name,
        spouse_certno=claim.spouse_certno,
        pledges=tuple(claim.pledges),
    )


def _items(claim: MaternityClaim, checklist: Checklist) -> tuple[tuple[Item, ...], list[str]]:
    uploaded = {m.name for m in claim.materials}
    missing = rules.missing_items(checklist, facts_of(claim), uploaded, claim.emp_name)
    items = tuple(
        Item(r.name, r.need, r.case, r.note, r.name not in missing) for r in checklist.requirements
    )
    return items, missing


def view_claim(
    kb: KnowledgeBase, claim: MaternityClaim, calendar: WorkingCalendar, today: date
) -> ClaimView:
    """The claim with its live checklist, what is missing, and its promised date."""
    checklist = build_checklist(kb, claim.insuplc_admdvs, claim.type, facts_of(claim).case_facts())
    items, missing = _items(claim, checklist)
    return ClaimView(
        claim,
        STATUS_NAMES[ClaimStatus(claim.status)],
        promise_of(claim, calendar, today),
        service_name=checklist.service_name,
        source_region=claim.source_region or checklist.source_region,
        checklist=items,
        missing=tuple(missing),
    )


def summary(claim: MaternityClaim, calendar: WorkingCalendar, today: date) -> ClaimView:
    """The claim for a list: status and promised date, no checklist."""
    status = STATUS_NAMES[ClaimStatus(claim.status)]
    return ClaimView(claim, status, promise_of(claim, calendar, today))
