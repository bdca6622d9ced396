"""生育 claims, the agency's side: 受理 → 审核 → 结算 → 拨付, 退回补正 or 不予受理; overdue.

Each step is allowed from one status only (no skipping, no going back); 退回补正 sends the claim
back to the citizen, who resubmits it to where it was. After 结算 the 《云南省医疗保障医保结算单》
is rendered once and kept, with a verification code the public certificate check answers
(GET /api/v1/certificates/verify/{code}); 拨付 closes the claim.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.audit import Actor
from app.divisions import division
from app.errors import DomainError, Kind
from app.guides.kb import KnowledgeBase
from app.guides.lookup import find_guide
from app.id_numbers import mask_id_numbers
from app.selfservice.certificates.models import Certificate
from app.selfservice.certificates.pdf import Document, Line, render_pdf
from app.selfservice.certificates.service import new_code
from app.selfservice.maternity.checklist import guide_region
from app.selfservice.maternity.models import MaternityClaim
from app.selfservice.maternity.progress import OPEN, STATUS_NAMES, ClaimStatus, ClaimView, summary
from app.selfservice.maternity.service import ClaimNotFound, add_event, replayed
from app.selfservice.registry.service import InsuredRegistry, Person
from app.selfservice.uploads.service import store_file
from app.working_days import WorkingCalendar

SETTLEMENT_TITLE = "云南省医疗保障医保结算单"
SETTLEMENT_NOTE = "本结算单依据医疗保障经办机构的结算结果生成；办理进度可在云南医保小程序查询。"


class Step(StrEnum):
    ACCEPT = "accept"  # 受理
    REVIEW = "review"  # 审核
    SETTLE = "settle"  # 结算
    PAY = "pay"  # 拨付
    REQUEST_CORRECTION = "request_correction"  # 退回补正
    REFUSE = "refuse"  # 不予受理


S = ClaimStatus
TRANSITIONS: dict[Step, tuple[frozenset[ClaimStatus], ClaimStatus]] = {
    Step.ACCEPT: (frozenset({S.SUBMITTED}), S.ACCEPTED),
    Step.REVIEW: (frozenset({S.ACCEPTED}), S.REVIEWED),
    Step.SETTLE: (frozenset({S.REVIEWED}), S.SETTLED),
    Step.PAY: (frozenset({S.SETTLED}), S.PAID),
    Step.REQUEST_CORRECTION: (frozenset({S.SUBMITTED, S.ACCEPTED}), S.CORRECTION),
    Step.REFUSE: (frozenset({S.SUBMITTED}), S.REFUSED),
}
STEP_NAMES = {
    Step.ACCEPT: "受理", Step.REVIEW: "审核", Step.SETTLE: "结算", Step.PAY: "拨付",
    Step.REQUEST_CORRECTION: "退回补正", Step.REFUSE: "不予受理",
}  # fmt: skip


class StepNotAllowed(DomainError):
    kind, code = Kind.CONFLICT, "maternity_step_not_allowed"
    message = "这份申请当前的状态不能办理这一步。"


class StepInvalid(DomainError):
    kind, code = Kind.INVALID, "maternity_step_invalid"
    message = "办理信息不完整，请按提示填写。"


class SettlementNotReady(DomainError):
    kind, code = Kind.NOT_FOUND, "maternity_settlement_not_ready"
    message = "这份申请还没有结算，暂无结算单。"


@dataclass(frozen=True, slots=True)
class Decision:
    step: Step
    reasons: tuple[str, ...] = ()
    settled_amount: Decimal | None = None


def _check(claim: MaternityClaim, decision: Decision) -> ClaimStatus:
    allowed, target = TRANSITIONS[decision.step]
    if claim.status not in allowed:
        current = STATUS_NAMES[ClaimStatus(claim.status)]
        raise StepNotAllowed(f"申请当前为“{current}”，不能{STEP_NAMES[decision.step]}。")
    needs_reasons = decision.step in {Step.REQUEST_CORRECTION, Step.REFUSE}
    if needs_reasons and not decision.reasons:
        raise StepInvalid(errors={"reasons": [f"{STEP_NAMES[decision.step]}须写明理由。"]})
    if decision.step is Step.SETTLE and decision.settled_amount is None:
        raise StepInvalid(errors={"settled_amount": ["结算须填写结算金额。"]})
    if decision.step is not Step.SETTLE and decision.settled_amount is not None:
        raise StepInvalid(errors={"settled_amount": ["只有结算时填写结算金额。"]})
    return target


def _place(code: str) -> str:
    found = division(code)
    return found.name if found else code


def settlement_facts(
    kb: KnowledgeBase, claim: MaternityClaim, person: Person | None, now: datetime
) -> dict[str, str]:
    """What the 结算单 shows (ID masked): who, which benefit, the amounts, to whom it is paid."""
    region = guide_region(kb, claim.source_region or claim.insuplc_admdvs)
    payee = (
        f"参保单位 {claim.emp_name}"
        if claim.pay_to == "employer"
        else f"{claim.bank_name} 尾号{(claim.bank_account_no or '')[-4:]}"
    )
    return {
        "title": SETTLEMENT_TITLE,
        "psn_name": person.psn_name if person else "",
        "certno": mask_id_numbers(person.certno) if person else "",
        "service": find_guide(kb, region, claim.type).guide.name,
        "place": _place(claim.insuplc_admdvs),
        "accepted": f"{claim.accepted_at:%Y年%m月%d日}" if claim.accepted_at else "—",
        "payee": payee,
        "claimed": f"{claim.claimed_amount:.2f}" if claim.claimed_amount is not None else "—",
        "settled": f"{claim.settled_amount:.2f}" if claim.settled_amount is not None else "—",
        "claim_no": claim.id[:12],
        "agency": f"{_place(claim.insuplc_admdvs)}医疗保障经办机构",
        "issued": f"{now:%Y年%m月%d日}",
    }


def settlement_document(facts: dict[str, str], code: str, verify_url: str) -> Document:
    return Document(
        title=facts["title"],
        lines=(
            Line("姓名", facts["psn_name"]),
            Line("证件号码", facts["certno"]),
            Line("待遇项目", facts["service"]),
            Line("参保地", facts["place"]),
            Line("受理日期", facts["accepted"]),
            Line("拨付对象", facts["payee"]),
        ),
        table_header=("项目", "申报金额（元）", "结算金额（元）", "单据号"),
        table=(("生育保险待遇", facts["claimed"], facts["settled"], facts["claim_no"]),),
        agency=facts["agency"],
        issued=facts["issued"],
        code=code,
        verify_url=verify_url,
        note=SETTLEMENT_NOTE,
    )


@dataclass(frozen=True, slots=True)
class Printing:
    """Where and how the 结算单 is made: the file store, the font, the claim's public address."""

    files: Path
    font_path: str
    verify_base: str  # the public check of certificates: the code is appended


def _issue_settlement(
    session: Session, registry: InsuredRegistry, kb: KnowledgeBase, claim: MaternityClaim,
    printing: Printing, actor: Actor, now: datetime,
) -> None:  # fmt: skip
    """Render and keep the 结算单; it is checked by its code like any certificate."""
    facts = settlement_facts(kb, claim, registry.get(claim.psn_no), now)
    code = new_code()
    document = settlement_document(facts, code, f"{printing.verify_base}/{code}")
    digest = store_file(printing.files, render_pdf(document, font_path=printing.font_path))
    claim.settlement_sha256, claim.settlement_code = digest, code
    # The 结算单 is an issued document like a 参保证明: the public check answers for it.
    certificate = Certificate(
        id=uuid.uuid4().hex, code=code, psn_no=claim.psn_no, kind="settlement",
        facts=json.dumps(facts, ensure_ascii=False), sha256=digest,
        acting_staff_id=actor.id if actor.kind == "staff" else None, issued_at=now,
    )  # fmt: skip
    session.add(certificate)


def take_step(
    session: Session,
    registry: InsuredRegistry,
    kb: KnowledgeBase,
    *,
    claim_id: str,
    decision: Decision,
    printing: Printing,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> MaternityClaim:
    """One review step on a claim, checked against its status; a retried key changes nothing."""
    with session.begin():
        claim = session.get(MaternityClaim, claim_id, with_for_update=True)
        if claim is None:
            raise ClaimNotFound
        if replayed(claim, idempotency_key):
            return claim
        target = _check(claim, decision)
        before = claim.status
        claim.status = target.value
        if decision.step is Step.ACCEPT and claim.accepted_at is None:
            claim.accepted_at = now
        elif decision.step is Step.REQUEST_CORRECTION:
            claim.returned_from = before
        elif decision.step is Step.REFUSE:
            claim.once_per_person, claim.closed_at = None, now  # may apply again
        elif decision.step is Step.SETTLE:
            claim.settled_amount = decision.settled_amount
            _issue_settlement(session, registry, kb, claim, printing, actor, now)
        elif decision.step is Step.PAY:
            claim.closed_at = now
        add_event(
            session, claim, actor, action=decision.step.value, now=now, from_status=before,
            reasons=list(decision.reasons) or None, idempotency_key=idempotency_key,
        )  # fmt: skip
    return claim


def list_for_staff(
    session: Session,
    calendar: WorkingCalendar,
    *,
    today: date,
    overdue: bool = False,
    status: ClaimStatus | None = None,
    psn_no: str | None = None,
) -> list[ClaimView]:
    """Claims for the agency, oldest first; overdue: open past the promised date."""
    drafts = ClaimStatus.DRAFT.value  # the citizen's own until submitted
    query = sa.select(MaternityClaim).where(MaternityClaim.status != drafts)
    query = query.order_by(MaternityClaim.created_at)
    if overdue:
        query = query.where(MaternityClaim.status.in_([s.value for s in OPEN]))
    if status is not None:
        query = query.where(MaternityClaim.status == status.value)
    if psn_no is not None:
        query = query.where(MaternityClaim.psn_no == psn_no)
    with session.begin():
        views = [summary(claim, calendar, today) for claim in session.scalars(query)]
    return [v for v in views if not overdue or (v.promise is not None and v.promise.overdue)]


def settlement_file(claim: MaternityClaim) -> str:
    """The stored 结算单's SHA-256; SettlementNotReady before 结算."""
    if claim.settlement_sha256 is None:
        raise SettlementNotReady
    return claim.settlement_sha256
