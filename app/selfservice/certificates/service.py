"""参保证明 / 参保凭证: issue a PDF from the registry, fetch it again, verify it by its code.

The document shows the name, the masked ID number, each 险种 with its status, period and 参保地,
the issuing region's agency, the date, a verification code and a QR code to the public check.
What it shows is kept as a snapshot, so a check answers with exactly what was printed.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.audit import Actor, record_audit
from app.divisions import division
from app.errors import DomainError, Kind
from app.id_numbers import mask_id_numbers
from app.selfservice.certificates.models import Certificate
from app.selfservice.certificates.pdf import Document, Line, render_pdf
from app.selfservice.registry.service import InsuredRegistry, InsuStatus, InsuType, Person
from app.selfservice.uploads.service import store_file

TITLES = {"cert.proof": "基本医疗保险参保证明", "cert.voucher": "参保凭证"}
INSURANCE_NAMES = {
    InsuType.EMPLOYEE: "职工基本医疗保险",
    InsuType.RESIDENT: "城乡居民基本医疗保险",
    InsuType.MATERNITY: "生育保险",
}
STATUS_NAMES = {
    InsuStatus.PAYING: "正常参保",
    InsuStatus.PAUSED: "暂停缴费",
    InsuStatus.ENDED: "终止参保",
}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
NOTE = "本证明根据出具时的参保登记信息生成，可扫码或凭验证码核验。"


class NotInsured(DomainError):
    kind, code = Kind.INVALID, "certificate_not_insured"
    message = "没有查到您的参保记录，无法出具证明，请咨询参保地医保经办机构。"


class CertificateNotFound(DomainError):
    kind, code = Kind.NOT_FOUND, "certificate_not_found"
    message = "没有找到这份证明，请核对验证码。"


@dataclass(frozen=True, slots=True)
class Verification:
    kind: str
    title: str
    valid: bool
    issued_at: datetime
    facts: dict[str, Any]


def new_code() -> str:
    """16 characters from 32 (80 bits): unguessable, and easy to read out over the phone."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _place(code: str) -> str:
    found = division(code)
    return found.name if found else code


def _facts(person: Person, kind: str, issued: datetime) -> dict[str, Any]:
    rows = [
        {
            "insutype": INSURANCE_NAMES[c.insutype],
            "status": STATUS_NAMES[c.psn_insu_stas],
            "period": f"{c.psn_insu_date:%Y-%m-%d} 至 "
            + (f"{c.paus_insu_date:%Y-%m-%d}" if c.paus_insu_date else "今"),
            "place": _place(c.insuplc_admdvs),
            "admdvs": c.insuplc_admdvs,
        }
        for c in person.insuinfo
    ]
    issuer = next((c for c in person.insuinfo if c.active), person.insuinfo[0])
    return {
        "title": TITLES[kind],
        "psn_name": person.psn_name,
        "certno": mask_id_numbers(person.certno),
        "rows": rows,
        "agency": f"{_place(issuer.insuplc_admdvs)}医疗保障经办机构",
        "issued": f"{issued:%Y年%m月%d日}",
    }


def document_for(facts: dict[str, Any], code: str, verify_url: str) -> Document:
    return Document(
        title=facts["title"],
        lines=(Line("姓名", facts["psn_name"]), Line("证件号码", facts["certno"])),
        table_header=("险种", "参保状态", "参保期间", "参保地"),
        table=tuple((r["insutype"], r["status"], r["period"], r["place"]) for r in facts["rows"]),
        agency=facts["agency"],
        issued=facts["issued"],
        code=code,
        verify_url=verify_url,
        note=NOTE,
    )


def issue_certificate(
    session: Session,
    registry: InsuredRegistry,
    *,
    psn_no: str,
    kind: str,
    actor: Actor,
    files: Path,
    verify_base: str,
    font_path: str,
    idempotency_key: str | None,
    now: datetime,
) -> Certificate:
    """Issue one; the PDF is stored before the record names it. A repeated key returns it."""
    with session.begin():
        if idempotency_key is not None:
            existing = session.scalar(
                sa.select(Certificate).where(
                    Certificate.psn_no == psn_no, Certificate.idempotency_key == idempotency_key
                )
            )
            if existing is not None:
                return existing
        person = registry.get(psn_no)
        if person is None or not person.insuinfo:
            raise NotInsured
        code = new_code()
        facts = _facts(person, kind, now)
        pdf = render_pdf(document_for(facts, code, f"{verify_base}/{code}"), font_path=font_path)
        certificate = Certificate(
            id=uuid.uuid4().hex,
            code=code,
            psn_no=psn_no,
            kind=kind,
            facts=json.dumps(facts, ensure_ascii=False),
            sha256=store_file(files, pdf),
            acting_staff_id=actor.id if actor.kind == "staff" else None,
            idempotency_key=idempotency_key,
            issued_at=now,
        )
        session.add(certificate)
        record_audit(
            session, actor, action="certificate.issue", now=now, on_behalf_of=psn_no,
            record_type="certificate", record_id=certificate.id,
        )  # fmt: skip
    return certificate


def find_certificate(session: Session, *, certificate_id: str, psn_no: str | None) -> Certificate:
    """One's own certificate (staff: psn_no None, any); others' are not found."""
    with session.begin():
        found = session.get(Certificate, certificate_id)
    if found is None or (psn_no is not None and found.psn_no != psn_no):
        raise CertificateNotFound
    return found


def verify_certificate(session: Session, code: str) -> Verification:
    """What the certificate with this code showed, and whether it still stands."""
    with session.begin():
        found = session.scalar(sa.select(Certificate).where(Certificate.code == code.upper()))
    if found is None:
        raise CertificateNotFound
    facts = json.loads(found.facts)
    return Verification(
        found.kind, facts["title"], found.revoked_at is None, found.issued_at, facts
    )
