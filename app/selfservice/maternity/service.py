"""生育 claims, the citizen's side: draft, change, attach materials, submit; read with history.

A claim is a draft until submitted; while a draft, or while returned for 补正, the claimant (or a
clerk for them) may change it and its materials. Submit checks the guide's conditions against the
registry and the guide's checklist (see checklist.py and rules.py) and names what is missing.
Status, promised date and the view of a claim are progress.py's.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.audit import Actor, record_audit
from app.errors import DomainError, Kind
from app.guides.kb import KnowledgeBase
from app.selfservice.maternity import rules
from app.selfservice.maternity.checklist import Checklist, Need, build_checklist
from app.selfservice.maternity.models import ClaimEvent, ClaimMaterial, MaternityClaim
from app.selfservice.maternity.progress import EDITABLE, ClaimStatus, facts_of
from app.selfservice.registry.service import InsuredRegistry
from app.selfservice.uploads.service import Checked, add_upload
from app.working_days import china_day

MAX_MATERIALS = 30  # per claim; a receipt each is plenty


class ClaimInvalid(DomainError):
    kind, code = Kind.INVALID, "maternity_claim_invalid"
    message = "生育待遇申请信息有误，请按提示修改。"


class MaterialsMissing(DomainError):
    kind, code = Kind.INVALID, "maternity_materials_missing"
    message = "申请材料不齐，请补齐后再提交。"


class AlreadyClaimed(DomainError):
    kind, code = Kind.CONFLICT, "maternity_already_claimed"
    message = "辅助生殖医疗费用补助每人只能申请一次，您已申请过。"


class ClaimNotFound(DomainError):
    kind, code = Kind.NOT_FOUND, "maternity_claim_not_found"
    message = "没有找到这份生育待遇申请。"


class ClaimNotEditable(DomainError):
    kind, code = Kind.CONFLICT, "maternity_claim_not_editable"
    message = "申请已提交，只有草稿或退回补正的申请才能修改。"


def add_event(
    session: Session,
    claim: MaternityClaim,
    actor: Actor,
    *,
    action: str,
    now: datetime,
    from_status: str | None = None,
    reasons: list[str] | None = None,
    detail: str | None = None,
    idempotency_key: str | None = None,
) -> None:
    """A step in the history and its audit entry, in the caller's transaction."""
    event = ClaimEvent(
        action=action, from_status=from_status, to_status=claim.status, actor_kind=actor.kind,
        actor_id=actor.id, reasons=reasons, detail=detail, idempotency_key=idempotency_key,
        created_at=now,
    )  # fmt: skip
    claim.events.append(event)
    session.add(event)
    record_audit(
        session, actor, action=f"maternity.{action}", now=now, on_behalf_of=claim.psn_no,
        record_type="maternity_claim", record_id=claim.id,
    )  # fmt: skip


def _validated(
    kb: KnowledgeBase, registry: InsuredRegistry, psn_no: str, facts: rules.Facts, today: date
) -> tuple[rules.Facts, Checklist, str, str | None]:
    """The facts (the guide's payee filled in), checklist, 参保地 and employer; or ClaimInvalid."""
    errors: rules.Errors = {}
    person = registry.get(psn_no)
    coverage = rules.maternity_coverage(person, errors)
    if person is None or coverage is None:
        raise ClaimInvalid(errors=errors)
    errors = rules.check_conditions(registry, person, facts, today=today)
    if facts.pay_to is None:
        base = build_checklist(kb, coverage.insuplc_admdvs, facts.type, facts.case_facts())
        facts = dataclasses.replace(facts, pay_to=rules.default_payee(base))
    checklist = build_checklist(kb, coverage.insuplc_admdvs, facts.type, facts.case_facts())
    for field, texts in rules.check_against_guide(checklist, facts, coverage.emp_name).items():
        errors.setdefault(field, []).extend(texts)
    if errors:
        raise ClaimInvalid(errors=errors)
    return facts, checklist, coverage.insuplc_admdvs, coverage.emp_name


def _assign(claim: MaternityClaim, facts: rules.Facts) -> None:
    fields = dataclasses.asdict(facts)
    fields.pop("type")
    fields["allowance_kind"] = facts.allowance_kind.value if facts.allowance_kind else None
    fields["spouse_certno"] = facts.spouse_certno.upper() if facts.spouse_certno else None
    fields["pledges"] = list(facts.pledges)
    for name, value in fields.items():
        setattr(claim, name, value)


def _standing_assisted(session: Session, psn_no: str, ignore: str | None) -> bool:
    query = sa.select(MaternityClaim.id).where(
        MaternityClaim.psn_no == psn_no,
        MaternityClaim.type == rules.ClaimType.ASSISTED_REPRODUCTION.value,
        MaternityClaim.status.not_in([ClaimStatus.DRAFT.value, ClaimStatus.REFUSED.value]),
    )
    return any(found != ignore for found in session.scalars(query))


def create_claim(
    session: Session,
    registry: InsuredRegistry,
    kb: KnowledgeBase,
    *,
    psn_no: str,
    facts: rules.Facts,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> MaternityClaim:
    """A new draft; a repeated idempotency key returns the draft it created."""
    with session.begin():
        if idempotency_key is not None:
            existing = session.scalar(
                sa.select(MaternityClaim).where(
                    MaternityClaim.psn_no == psn_no,
                    MaternityClaim.idempotency_key == idempotency_key,
                )
            )
            if existing is not None:
                return existing
        facts, _, place, emp_name = _validated(kb, registry, psn_no, facts, china_day(now))
        if facts.type is rules.ClaimType.ASSISTED_REPRODUCTION and _standing_assisted(
            session, psn_no, None
        ):
            raise AlreadyClaimed
        claim = MaternityClaim(
            id=uuid.uuid4().hex, psn_no=psn_no, type=facts.type.value,
            status=ClaimStatus.DRAFT.value, insuplc_admdvs=place, emp_name=emp_name,
            dcla_souc=actor.channel, acting_staff_id=actor.id if actor.kind == "staff" else None,
            idempotency_key=idempotency_key, created_at=now, materials=[], events=[],
        )  # fmt: skip
        _assign(claim, facts)
        session.add(claim)
        add_event(session, claim, actor, action="create", now=now)
    return claim


def _locked(session: Session, claim_id: str, psn_no: str | None) -> MaternityClaim:
    claim = session.get(MaternityClaim, claim_id, with_for_update=True)
    if claim is None or (psn_no is not None and claim.psn_no != psn_no):
        raise ClaimNotFound
    return claim


def _editable(claim: MaternityClaim) -> None:
    if claim.status not in EDITABLE:
        raise ClaimNotEditable


def update_claim(
    session: Session,
    registry: InsuredRegistry,
    kb: KnowledgeBase,
    *,
    claim_id: str,
    psn_no: str | None,
    changes: dict[str, Any],
    actor: Actor,
    now: datetime,
) -> MaternityClaim:
    """Change a draft's (or a returned claim's) facts; the conditions are checked again."""
    with session.begin():
        claim = _locked(session, claim_id, psn_no)
        _editable(claim)
        if "pledges" in changes:
            changes["pledges"] = tuple(changes["pledges"] or ())
        facts = dataclasses.replace(facts_of(claim), **changes)
        facts, _, place, emp_name = _validated(kb, registry, claim.psn_no, facts, china_day(now))
        _assign(claim, facts)
        claim.insuplc_admdvs, claim.emp_name = place, emp_name
        add_event(session, claim, actor, action="update", now=now, from_status=claim.status)
    return claim


def add_material(
    session: Session,
    kb: KnowledgeBase,
    root: Path,
    *,
    claim_id: str,
    psn_no: str | None,
    name: str,
    checked: Checked,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> MaternityClaim:
    """File an upload under one checklist item; the upload and the filing commit together."""
    with session.begin():
        claim = _locked(session, claim_id, psn_no)
        if idempotency_key is not None and any(
            m.idempotency_key == idempotency_key for m in claim.materials
        ):
            return claim
        _editable(claim)
        checklist = build_checklist(
            kb, claim.insuplc_admdvs, claim.type, facts_of(claim).case_facts()
        )
        names = [r.name for r in checklist.requirements if r.need is Need.UPLOAD]
        if name not in names:
            raise ClaimInvalid(errors={"name": [f"请从清单中选择材料：{'、'.join(names)}。"]})
        if len(claim.materials) >= MAX_MATERIALS:
            raise ClaimInvalid(errors={"file": [f"每份申请最多上传 {MAX_MATERIALS} 份材料。"]})
        upload = add_upload(session, root, checked=checked, actor=actor, now=now)
        material = ClaimMaterial(
            id=uuid.uuid4().hex, claim_id=claim.id, name=name, upload_id=upload.id,
            content_type=upload.content_type, size=upload.size, label=upload.label,
            idempotency_key=idempotency_key, created_at=now,
        )  # fmt: skip
        claim.materials.append(material)
        add_event(
            session, claim, actor, action="add_material", now=now, from_status=claim.status,
            detail=name,
        )  # fmt: skip
    return claim


def remove_material(
    session: Session, *, claim_id: str, psn_no: str | None, material_id: str, actor: Actor,
    now: datetime,
) -> MaternityClaim:  # fmt: skip
    """Take a material off a draft (or a returned claim)."""
    with session.begin():
        claim = _locked(session, claim_id, psn_no)
        material = next((m for m in claim.materials if m.id == material_id), None)
        if material is None:
            raise ClaimNotFound("没有找到这份材料。")
        _editable(claim)
        claim.materials.remove(material)
        add_event(
            session, claim, actor, action="remove_material", now=now, from_status=claim.status,
            detail=material.name,
        )  # fmt: skip
    return claim


def replayed(claim: MaternityClaim, idempotency_key: str | None) -> bool:
    """Whether a step with this key was already taken on the claim (a retry)."""
    return idempotency_key is not None and any(
        e.idempotency_key == idempotency_key for e in claim.events
    )


def _submittable(
    session: Session, kb: KnowledgeBase, registry: InsuredRegistry, claim: MaternityClaim,
    today: date,
) -> Checklist:  # fmt: skip
    facts, checklist, place, emp_name = _validated(
        kb, registry, claim.psn_no, facts_of(claim), today
    )
    claim.insuplc_admdvs, claim.emp_name = place, emp_name
    errors: rules.Errors = {}
    if facts.event_date is None:
        errors["event_date"] = ["请填写生育或手术（就诊）日期。"]
    missing = rules.missing_items(checklist, facts, {m.name for m in claim.materials}, emp_name)
    if missing:
        errors["materials"] = missing
        raise MaterialsMissing(f"还缺少：{'、'.join(missing)}。请补齐后再提交。", errors=errors)
    if errors:
        raise ClaimInvalid(errors=errors)
    if facts.type is rules.ClaimType.ASSISTED_REPRODUCTION and _standing_assisted(
        session, claim.psn_no, claim.id
    ):
        raise AlreadyClaimed
    return checklist


def submit_claim(
    session: Session,
    registry: InsuredRegistry,
    kb: KnowledgeBase,
    *,
    claim_id: str,
    psn_no: str | None,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> MaternityClaim:
    """Submit a draft, or resubmit a claim returned for 补正; a retried key changes nothing."""
    with session.begin():
        claim = _locked(session, claim_id, psn_no)
        if replayed(claim, idempotency_key):
            return claim
        _editable(claim)
        checklist = _submittable(session, kb, registry, claim, china_day(now))
        before = claim.status
        if before == ClaimStatus.DRAFT:
            claim.status, claim.submitted_at = ClaimStatus.SUBMITTED.value, now
            claim.source_region, claim.promised_days = (
                checklist.source_region,
                checklist.promised_days,
            )
        else:
            claim.status, claim.returned_from = claim.returned_from or ClaimStatus.SUBMITTED, None
        if claim.type == rules.ClaimType.ASSISTED_REPRODUCTION:
            claim.once_per_person = claim.psn_no
        action = "submit" if before == ClaimStatus.DRAFT else "resubmit"
        add_event(
            session, claim, actor, action=action, now=now, from_status=before,
            idempotency_key=idempotency_key,
        )  # fmt: skip
        try:
            session.flush()
        except sa.exc.IntegrityError as error:  # a concurrent 辅助生殖 claim won the race
            raise AlreadyClaimed from error
    return claim


def get_claim(session: Session, *, claim_id: str, psn_no: str | None) -> MaternityClaim:
    """One claim; psn_no None means staff, who may read any. Others' claims are not found."""
    with session.begin():
        claim = session.get(MaternityClaim, claim_id)
    if claim is None or (psn_no is not None and claim.psn_no != psn_no):
        raise ClaimNotFound
    return claim


def list_claims(session: Session, *, psn_no: str) -> list[MaternityClaim]:
    """A person's claims, newest first."""
    with session.begin():
        query = (
            sa.select(MaternityClaim)
            .where(MaternityClaim.psn_no == psn_no)
            .order_by(MaternityClaim.created_at.desc())
        )
        return list(session.scalars(query))
