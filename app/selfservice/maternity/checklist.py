"""What a 生育 claim must carry, read from the knowledge base for the claimant's 参保地 and case.

The online guide answers: the 参保地's own guide where it lists online materials, else the
province's (530000, 全省通办). Nothing here lists materials; it only reads how each of the
guide's materials is supplied online:
- a 承诺书 (form `pledge`) is signed in the form;
- a 银行账户 item is filled in (户名、账号、开户行), or fetched by the system when it is the
  employer's (单位银行账户) or the claim is paid to the employer;
- an item the guide says data sharing supplies (数据共享获得的可不提供) comes from the registry;
- anything else is a scan or photo, uploaded.
A case (the material's `case`) applies when the claim's facts name it: 配偶 (for the male
employee's unemployed spouse), 护理假 (男职工护理假津贴), 拨付到个人 (paid to the person).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import DomainError, Kind
from app.guides.kb import KnowledgeBase, Material, MaterialChannel, MaterialForm, ServiceGuide
from app.guides.lookup import ServiceNotCovered, find_guide, find_materials


class Need(StrEnum):
    UPLOAD = "upload"  # a scan or photo
    PLEDGE = "pledge"  # signed in the form
    BANK_ACCOUNT = "bank_account"  # the person's 户名、账号、开户行, filled in
    EMPLOYER_ACCOUNT = "employer_account"  # the employer's, fetched by the system
    PAYEE_ACCOUNT = "payee_account"  # the person's, or the employer's when paid to it
    SHARED = "shared"  # from the registry (real-name binding)


class NotOnline(DomainError):
    kind, code = Kind.INVALID, "maternity_not_online"
    message = "您参保地的办事指南没有在线办理这一事项，请到参保地医保经办机构窗口办理。"


@dataclass(frozen=True, slots=True)
class Requirement:
    name: str
    need: Need
    case: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Checklist:
    """The guide that answered, its promise, and what this claim must carry."""

    service: str
    service_name: str
    source_region: str
    promised_days: int | None
    cases: tuple[str, ...]  # the cases of the guide that apply to this claim
    requirements: tuple[Requirement, ...]

    def has(self, need: Need) -> bool:
        return any(r.need is need for r in self.requirements)


# Facts of a claim → the word its case carries in the guides.
CASE_WORDS = {"spouse": "配偶", "paternity-leave": "护理假", "pay-to-person": "拨付到个人"}
ONLINE = {MaterialChannel.ONLINE, MaterialChannel.BOTH}


def _online(guide: ServiceGuide) -> bool:
    return any(m.channel in ONLINE for d in (guide, *guide.variants) for m in d.materials)


def _need(material: Material) -> Need:
    if material.form is MaterialForm.PLEDGE:
        return Need.PLEDGE
    if "银行账户" in material.name:
        if material.name.startswith("单位"):
            return Need.EMPLOYER_ACCOUNT
        return Need.BANK_ACCOUNT if material.name.startswith("个人") else Need.PAYEE_ACCOUNT
    if material.note and "数据共享" in material.note:
        return Need.SHARED
    return Need.UPLOAD


def guide_region(kb: KnowledgeBase, insuplc_admdvs: str) -> str:
    """The nearest region with guides for a 参保地 (a county → its city → its province)."""
    code = insuplc_admdvs
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate in kb.region_codes:
            return candidate
    raise NotOnline


def build_checklist(
    kb: KnowledgeBase, insuplc_admdvs: str, service: str, facts: set[str]
) -> Checklist:
    """The online checklist for service where the claimant is insured, for the claim's facts."""
    try:
        answer = find_guide(kb, guide_region(kb, insuplc_admdvs), service, having=_online)
    except ServiceNotCovered as error:
        raise NotOnline from error
    if not _online(answer.guide):
        raise NotOnline
    source = answer.source_region
    everything = find_materials(kb, source, service, channel=MaterialChannel.ONLINE)
    words = {CASE_WORDS[f] for f in facts if f in CASE_WORDS}
    cases = tuple(c for c in everything.cases if any(w in c for w in words))
    chosen = [
        find_materials(kb, source, service, case=c, channel=MaterialChannel.ONLINE) for c in cases
    ]
    materials = [m for found in chosen or [everything] for m in found.materials]
    wanted = {None, *cases}
    requirements = tuple(
        dict.fromkeys(
            Requirement(m.name, _need(m), m.case, m.note) for m in materials if m.case in wanted
        )
    )
    limit = answer.guide.time_limit
    return Checklist(
        service=service,
        service_name=answer.guide.name,
        source_region=source,
        promised_days=limit.promised_days if limit else None,
        cases=cases,
        requirements=requirements,
    )
