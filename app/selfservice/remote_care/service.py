"""异地就医备案: file, list, change and cancel remote-care records (即时办结: reply = result).

Rules, from the seeds where they state them and otherwise the national rules for 跨省异地就医:
- 异地安置 is for retirees only (the seeds' 服务对象); 转诊 needs the referring hospital.
- 就医地 must be a current division outside the 参保地 of the insurance used.
- 长期备案 (安置, 长期居住, 常驻工作) has no end date, is valid until cancelled, and may be changed
  or cancelled only after six months; 临时备案 (转诊, 急诊及临时外出) is valid at least six months.
- One active filing per person and 险种 (a partial unique index enforces it under concurrency).
- Dates: a filing starts today (China time) or within a year; only 急诊及临时外出
  (remote.temporary) may be filed after the fact (补办), and no earlier than a start that leaves it
  valid today (six months). The Yunnan guides set no 补办 window and the national rule lets a
  临时外出 person 补办 before discharge without a day count; 岳阳's three working days (its guide,
  L2368) are that guide's rule, not Yunnan's.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from app.audit import Actor, record_audit
from app.db import find_keyed, find_keyed_after_conflict
from app.divisions import contains, division
from app.errors import DomainError, Kind
from app.id_numbers import is_valid_id_number
from app.selfservice.registry.service import InsuredRegistry, InsuType
from app.selfservice.remote_care.models import RemoteCareFiling
from app.selfservice.uploads.service import owned_upload
from app.working_days import china_day

LONG_TERM = {"remote.retiree", "remote.long-stay", "remote.work"}
TEMPORARY = {"remote.referral", "remote.temporary"}
KINDS = LONG_TERM | TEMPORARY
SIX_MONTHS = relativedelta(months=6)
# No guide bounds how far ahead one may file; a year covers any planned move and keeps every date
# this module adds six months to far from date.max.
LATEST_START = relativedelta(years=1)


class FilingInvalid(DomainError):
    kind, code = Kind.INVALID, "remote_care_invalid"
    message = "备案信息有误，请按提示修改。"


class AlreadyFiled(DomainError):
    kind, code = Kind.INVALID, "remote_care_already_filed"
    message = "您已有一条有效的异地就医备案，如需变更请选择“变更备案”。"

    def __init__(self) -> None:
        per_field = "这一险种已有一条有效的异地就医备案，请先变更或取消原备案。"
        super().__init__(errors={"insutype": [per_field]})


class KeyUsedElsewhere(DomainError):
    kind, code = Kind.INVALID, "remote_care_key_reused"
    message = "这个 Idempotency-Key 已用于另一份请求，请为新请求换一个。"


class TooEarlyToChange(DomainError):
    kind, code = Kind.CONFLICT, "remote_care_too_early"
    message = "长期备案满 6 个月后才能变更或取消。"


class FilingNotFound(DomainError):
    kind, code = Kind.NOT_FOUND, "remote_care_not_found"
    message = "没有找到这条备案。"


class FilingNotActive(DomainError):
    kind, code = Kind.CONFLICT, "remote_care_not_active"
    message = "这条备案已取消或已变更，不能再操作。"


@dataclass(frozen=True, slots=True)
class Draft:
    """What a citizen (or a clerk for them) asks to file."""

    kind: str
    insutype: InsuType
    rloc_admdvs: str
    resout_addr: str
    tel: str
    begndate: date
    pledge: bool
    enddate: date | None = None
    rloc_rea: str | None = None
    filed_by: str = "self"
    agnter_name: str | None = None
    agnter_certno: str | None = None
    agnter_tel: str | None = None
    agnter_rlts: str | None = None
    referral_hospital: str | None = None
    referral_certificate: str | None = None


def _check_agent(draft: Draft, errors: dict[str, list[str]]) -> None:
    if draft.filed_by != "agent":
        return
    for field in ("agnter_name", "agnter_certno", "agnter_tel", "agnter_rlts"):
        if not getattr(draft, field):
            errors.setdefault(field, []).append("由他人代办时必须填写。")
    if draft.agnter_certno and not is_valid_id_number(draft.agnter_certno.upper()):
        errors.setdefault("agnter_certno", []).append("代办人身份证号不正确。")


def earliest_start(kind: str, today: date) -> date:
    """The earliest begndate one may file today: today, or for 急诊 a start still valid today."""
    return today - SIX_MONTHS if kind == "remote.temporary" else today


def _check_start(draft: Draft, today: date, errors: dict[str, list[str]]) -> bool:
    earliest = earliest_start(draft.kind, today)
    latest = today + LATEST_START
    if draft.begndate < earliest:
        temporary = draft.kind == "remote.temporary"
        late = "急诊可事后补办备案，但备案有效期为六个月，" if temporary else ""
        errors.setdefault("begndate", []).append(
            f"{late}开始日期不能早于 {earliest:%Y年%m月%d日}。"
        )
    elif draft.begndate > latest:
        errors.setdefault("begndate", []).append(f"开始日期不能晚于 {latest:%Y年%m月%d日}。")
    else:
        return True
    return False


def _check_period(draft: Draft, today: date, errors: dict[str, list[str]]) -> Draft:
    if not _check_start(draft, today, errors):
        return draft
    if draft.kind in LONG_TERM:
        if draft.enddate is not None:
            errors.setdefault("enddate", []).append("长期备案长期有效，不填结束日期。")
        return draft
    if draft.enddate is None:
        return dataclasses.replace(draft, enddate=draft.begndate + SIX_MONTHS)
    if draft.enddate < draft.begndate:
        errors.setdefault("enddate", []).append("结束日期不能早于开始日期。")
    elif draft.enddate < draft.begndate + SIX_MONTHS:
        errors.setdefault("enddate", []).append("临时备案有效期不少于 6 个月。")
    return draft


def _insured_place(
    registry: InsuredRegistry, psn_no: str, draft: Draft, errors: dict[str, list[str]]
) -> str | None:
    person = registry.get(psn_no)
    coverage = person.coverage(draft.insutype) if person else None
    if coverage is None or not coverage.active:
        errors.setdefault("insutype", []).append("您没有正常参保的这一险种。")
        return None
    if draft.kind == "remote.retiree" and not coverage.retired:
        errors.setdefault("kind", []).append("异地安置备案仅限已退休人员办理。")
    return coverage.insuplc_admdvs


def _check_certificate(session: Session, draft: Draft, actor: Actor) -> None:
    upload_id = draft.referral_certificate
    if upload_id and owned_upload(session, upload_id, f"{actor.kind}:{actor.id}") is None:
        raise FilingInvalid(errors={"referral_certificate": ["找不到您上传的这份转诊证明。"]})


def validate(
    registry: InsuredRegistry, psn_no: str, draft: Draft, today: date
) -> tuple[Draft, str]:
    """The draft completed (a temporary filing's end date), and the 参保地; or FilingInvalid."""
    errors: dict[str, list[str]] = {}
    if draft.kind not in KINDS:
        errors["kind"] = ["备案类型应为五种异地就医备案之一。"]
    if not draft.pledge:
        errors["pledge"] = ["请阅读并勾选个人承诺。"]
    place = division(draft.rloc_admdvs)
    if place is None:
        errors["rloc_admdvs"] = ["就医地行政区划代码不存在，请从列表中选择。"]
    elif place.level == "province":
        errors["rloc_admdvs"] = ["请选择到就医地的市或县。"]
    if draft.kind == "remote.referral" and not draft.referral_hospital:
        errors["referral_hospital"] = ["转诊备案须填写开具转诊的定点医疗机构。"]
    if draft.kind == "remote.referral" and not draft.referral_certificate:
        errors["referral_certificate"] = ["转诊备案须上传转出医院开具的转诊证明。"]
    _check_agent(draft, errors)
    draft = _check_period(draft, today, errors)
    insured = _insured_place(registry, psn_no, draft, errors)
    if insured and place is not None and contains(insured, draft.rloc_admdvs):
        errors.setdefault("rloc_admdvs", []).append(
            "就医地在参保地范围内，不需要办理异地就医备案。"
        )
    if errors or insured is None:
        raise FilingInvalid(errors=errors)
    return draft, insured


def _active_filing(
    session: Session, psn_no: str, insutype: InsuType, *, ignore: str | None
) -> RemoteCareFiling | None:
    query = sa.select(RemoteCareFiling).where(
        RemoteCareFiling.psn_no == psn_no,
        RemoteCareFiling.insutype == insutype.value,
        RemoteCareFiling.status == "active",
        RemoteCareFiling.id != (ignore or ""),
    )
    return session.scalar(query)


def _after_race(
    session: Session, psn_no: str, idempotency_key: str | None, *, changed_from: str | None
) -> RemoteCareFiling:
    """A unique index refused the insert: a concurrent request won. Answer as if it ran first."""
    existing = find_keyed_after_conflict(session, RemoteCareFiling, idempotency_key, psn_no=psn_no)
    if existing is None:
        raise AlreadyFiled
    if existing.changed_from != changed_from:
        raise KeyUsedElsewhere
    return existing


def _record(
    psn_no: str, draft: Draft, insured: str, actor: Actor, now: datetime, **extra: object
) -> RemoteCareFiling:
    fields = dataclasses.asdict(draft)
    fields["insutype"] = draft.insutype.value
    fields["agnter_certno"] = draft.agnter_certno.upper() if draft.agnter_certno else None
    return RemoteCareFiling(
        id=uuid.uuid4().hex,
        psn_no=psn_no,
        status="active",
        insu_admdvs=insured,
        agnter_cert_type="01" if draft.agnter_certno else None,
        dcla_souc=actor.channel,
        acting_staff_id=actor.id if actor.kind == "staff" else None,
        created_at=now,
        **fields,
        **extra,
    )


def _audit(
    session: Session, actor: Actor, psn_no: str, action: str, record_id: str, now: datetime
) -> None:
    record_audit(
        session,
        actor,
        action=action,
        now=now,
        on_behalf_of=psn_no,
        record_type="remote_care_filing",
        record_id=record_id,
    )


def file_remote_care(
    session: Session,
    registry: InsuredRegistry,
    *,
    psn_no: str,
    draft: Draft,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> RemoteCareFiling:
    """File a new 备案; a repeated idempotency key returns the record it created."""
    try:
        with session.begin():
            existing = find_keyed(session, RemoteCareFiling, idempotency_key, psn_no=psn_no)
            if existing is not None:
                if existing.changed_from is not None:
                    raise KeyUsedElsewhere
                return existing
            draft, insured = validate(registry, psn_no, draft, china_day(now))
            _check_certificate(session, draft, actor)
            if _active_filing(session, psn_no, draft.insutype, ignore=None) is not None:
                raise AlreadyFiled
            filing = _record(
                psn_no, draft, insured, actor, now, dcla_type="new", idempotency_key=idempotency_key
            )
            session.add(filing)
            _audit(session, actor, psn_no, "remote_care.file", filing.id, now)
    except sa.exc.IntegrityError:
        return _after_race(session, psn_no, idempotency_key, changed_from=None)
    return filing


def list_filings(session: Session, *, psn_no: str) -> list[RemoteCareFiling]:
    """A person's filings, newest first."""
    with session.begin():
        query = (
            sa.select(RemoteCareFiling)
            .where(RemoteCareFiling.psn_no == psn_no)
            .order_by(RemoteCareFiling.created_at.desc())
        )
        return list(session.scalars(query))


def get_filing(session: Session, *, filing_id: str, psn_no: str | None) -> RemoteCareFiling:
    """One filing; psn_no None means staff, who may read any. Others' filings are not found."""
    with session.begin():
        filing = session.get(RemoteCareFiling, filing_id)
    if filing is None or (psn_no is not None and filing.psn_no != psn_no):
        raise FilingNotFound
    return filing


def _changeable(filing: RemoteCareFiling, now: datetime) -> None:
    if filing.status != "active":
        raise FilingNotActive
    today = china_day(now)
    if filing.kind in LONG_TERM and today < filing.begndate + SIX_MONTHS:
        allowed = filing.begndate + SIX_MONTHS
        raise TooEarlyToChange(f"长期备案满 6 个月后才能变更或取消，最早 {allowed:%Y年%m月%d日}。")


def cancel_filing(
    session: Session, *, filing_id: str, psn_no: str | None, actor: Actor, now: datetime
) -> RemoteCareFiling:
    """Cancel an active filing (a long-term one only after six months)."""
    with session.begin():
        filing = session.get(RemoteCareFiling, filing_id, with_for_update=True)
        if filing is None or (psn_no is not None and filing.psn_no != psn_no):
            raise FilingNotFound
        _changeable(filing, now)
        filing.status, filing.cancelled_at = "cancelled", now
        _audit(session, actor, filing.psn_no, "remote_care.cancel", filing.id, now)
    return filing


def change_filing(
    session: Session,
    registry: InsuredRegistry,
    *,
    filing_id: str,
    psn_no: str | None,
    draft: Draft,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> RemoteCareFiling:
    """登记类别 变更: a new filing replaces an active one (a long-term one after six months); a
    repeated idempotency key returns the filing that change made."""
    try:
        with session.begin():
            old = session.get(RemoteCareFiling, filing_id, with_for_update=True)
            if old is None or (psn_no is not None and old.psn_no != psn_no):
                raise FilingNotFound
            existing = find_keyed(session, RemoteCareFiling, idempotency_key, psn_no=old.psn_no)
            if existing is not None:
                if existing.changed_from != old.id:
                    raise KeyUsedElsewhere
                return existing
            _changeable(old, now)
            draft, insured = validate(registry, old.psn_no, draft, china_day(now))
            _check_certificate(session, draft, actor)
            if _active_filing(session, old.psn_no, draft.insutype, ignore=old.id) is not None:
                raise AlreadyFiled
            old.status = "superseded"
            session.flush()  # free the one-active slot before the new row takes it
            filing = _record(
                old.psn_no, draft, insured, actor, now,
                dcla_type="change", changed_from=old.id, idempotency_key=idempotency_key,
            )  # fmt: skip
            session.add(filing)
            _audit(session, actor, old.psn_no, "remote_care.change", filing.id, now)
    except sa.exc.IntegrityError:
        owner = psn_no or _owner(session, filing_id)
        return _after_race(session, owner, idempotency_key, changed_from=filing_id)
    return filing


def _owner(session: Session, filing_id: str) -> str:
    session.rollback()
    with session.begin():
        return session.get_one(RemoteCareFiling, filing_id).psn_no
