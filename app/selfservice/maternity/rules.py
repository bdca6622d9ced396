"""Who may claim what, from the guides' conditions, checked against the registry; and whether a
claim carries everything its checklist asks for.

Conditions (530000 guides, 生育 items): 按时足额缴纳生育保险费; 生育医疗费 for the female
employee herself or the male employee's unemployed spouse; 生育津贴 for the woman who gave
birth, 计划生育津贴 for either, 护理假津贴 for the man whose spouse gave birth; 辅助生殖补助 once
per person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from stdnum import luhn

from app.id_numbers import is_valid_id_number
from app.selfservice.maternity.checklist import Checklist, Need
from app.selfservice.registry.service import Coverage, InsuredRegistry, InsuType, Person

MALE, FEMALE = "1", "2"
Errors = dict[str, list[str]]


class ClaimType(StrEnum):
    MEDICAL = "maternity.medical"
    FAMILY_PLANNING = "maternity.family-planning"
    ASSISTED_REPRODUCTION = "maternity.assisted-reproduction"
    ALLOWANCE = "maternity.allowance"


class AllowanceKind(StrEnum):
    CHILDBIRTH = "childbirth"  # 生育津贴
    FAMILY_PLANNING = "family-planning"  # 计划生育津贴
    PATERNITY_LEAVE = "paternity-leave"  # 男职工护理假津贴


@dataclass(frozen=True, slots=True)
class Facts:
    """What the claimant states; the checklist and the conditions depend on it."""

    type: ClaimType
    beneficiary: str = "self"  # self | spouse
    allowance_kind: AllowanceKind | None = None
    event_date: date | None = None
    claimed_amount: Decimal | None = None
    pay_to: str | None = None  # person | employer; None: the guide's default
    bank_account_name: str | None = None
    bank_account_no: str | None = None
    bank_name: str | None = None
    spouse_name: str | None = None
    spouse_certno: str | None = None
    pledges: tuple[str, ...] = ()

    def case_facts(self) -> set[str]:
        """The facts that pick a case of the guide (see checklist.CASE_WORDS)."""
        found = set()
        if self.beneficiary == "spouse":
            found.add("spouse")
        if self.allowance_kind is AllowanceKind.PATERNITY_LEAVE:
            found.add("paternity-leave")
        if self.pay_to == "person":
            found.add("pay-to-person")
        return found


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def maternity_coverage(person: Person | None, errors: Errors) -> Coverage | None:
    """The person's paid-up 生育保险, or None with the reason in errors."""
    coverage = person.coverage(InsuType.MATERNITY) if person else None
    if coverage is None or not coverage.active:
        _add(errors, "type", "没有查到您按时足额缴纳生育保险费的记录，不能申请生育保险待遇。")
        return None
    return coverage


def _check_who(person: Person, facts: Facts, errors: Errors) -> None:
    spouse = facts.beneficiary == "spouse"
    if facts.type is ClaimType.MEDICAL:
        if spouse and person.gend != MALE:
            _add(errors, "beneficiary", "为未就业配偶申请生育医疗费的，应为参保男职工。")
        if not spouse and person.gend != FEMALE:
            _add(
                errors, "beneficiary", "生育医疗费由参保女职工本人申请；男职工可为未就业配偶申请。"
            )
    elif spouse and facts.type is not ClaimType.FAMILY_PLANNING:
        _add(errors, "beneficiary", "这一待遇只能由参保职工本人申请。")
    if facts.type is not ClaimType.ALLOWANCE:
        if facts.allowance_kind is not None:
            _add(errors, "allowance_kind", "只有生育津贴申请需要选择津贴类别。")
        return
    kind = facts.allowance_kind
    if kind is None:
        _add(errors, "allowance_kind", "请选择生育津贴、计划生育津贴或男职工护理假津贴。")
    elif kind is AllowanceKind.CHILDBIRTH and person.gend != FEMALE:
        _add(errors, "allowance_kind", "生育津贴由生育的参保女职工申请；男职工请选择护理假津贴。")
    elif kind is AllowanceKind.PATERNITY_LEAVE and person.gend != MALE:
        _add(errors, "allowance_kind", "护理假津贴由配偶生育的参保男职工申请。")


def _check_spouse(registry: InsuredRegistry, person: Person, facts: Facts, errors: Errors) -> None:
    if facts.beneficiary != "spouse":
        if facts.spouse_name or facts.spouse_certno:
            _add(errors, "spouse_certno", "只有为配偶申请时才填写配偶信息。")
        return
    if not facts.spouse_name:
        _add(errors, "spouse_name", "为配偶申请时须填写配偶姓名。")
    certno = (facts.spouse_certno or "").upper()
    if not is_valid_id_number(certno):
        _add(errors, "spouse_certno", "请填写正确的配偶身份证号。")
        return
    if certno == person.certno.upper():
        _add(errors, "spouse_certno", "配偶不能是您本人。")
        return
    found = registry.find_by_certno(certno)
    employed = found.coverage(InsuType.EMPLOYEE) if found else None
    if employed is not None and employed.active:
        _add(errors, "spouse_certno", "您的配偶正在参加职工医保，应由配偶本人申请。")


def _check_bank(person: Person, facts: Facts, errors: Errors) -> None:
    given = (facts.bank_account_name, facts.bank_account_no, facts.bank_name)
    if not any(given):
        return
    if not all(given):
        _add(errors, "bank_account_no", "银行账户须填写户名、账号和开户行三项。")
    if facts.bank_account_name and facts.bank_account_name != person.psn_name:
        _add(errors, "bank_account_name", "户名应为参保人本人姓名。")
    number = facts.bank_account_no or ""
    if number and not (16 <= len(number) <= 19 and luhn.is_valid(number)):
        _add(errors, "bank_account_no", "银行卡号不正确（位数或校验位不对），请核对。")


def check_conditions(
    registry: InsuredRegistry, person: Person, facts: Facts, *, today: date
) -> Errors:
    """Every condition the claim's facts fail, field → Chinese reasons (empty: all met)."""
    errors: Errors = {}
    _check_who(person, facts, errors)
    _check_spouse(registry, person, facts, errors)
    _check_bank(person, facts, errors)
    if facts.event_date is not None and facts.event_date > today:
        _add(errors, "event_date", "日期不能晚于今天。")
    return errors


def check_against_guide(checklist: Checklist, facts: Facts, emp_name: str | None) -> Errors:
    """What the guide's checklist rules out: a spouse where it has no such case, a payee it
    does not pay."""
    errors: Errors = {}
    if facts.beneficiary == "spouse" and not any("配偶" in c for c in checklist.cases):
        _add(errors, "beneficiary", "您参保地的办事指南没有为配偶申请这一待遇的情形。")
    person_ok = checklist.has(Need.BANK_ACCOUNT) or checklist.has(Need.PAYEE_ACCOUNT)
    employer_ok = checklist.has(Need.EMPLOYER_ACCOUNT) or checklist.has(Need.PAYEE_ACCOUNT)
    if facts.pay_to == "person" and not person_ok:
        _add(errors, "pay_to", "按办事指南，这一待遇拨付到参保单位。")
    if facts.pay_to == "employer" and not employer_ok:
        _add(errors, "pay_to", "按办事指南，这一待遇拨付到个人银行账户。")
    if facts.pay_to == "employer" and not emp_name:
        _add(errors, "pay_to", "没有查到您的参保单位，请选择拨付到个人银行账户。")
    return errors


def default_payee(checklist: Checklist) -> str:
    """The guide's payee when the claimant names none: the employer where it pays the employer."""
    if checklist.has(Need.EMPLOYER_ACCOUNT) and not checklist.has(Need.BANK_ACCOUNT):
        return "employer"
    return "person"


def missing_items(
    checklist: Checklist, facts: Facts, uploaded: set[str], emp_name: str | None
) -> list[str]:
    """The checklist's items the claim does not carry yet, by the guide's names."""
    bank = all((facts.bank_account_name, facts.bank_account_no, facts.bank_name))
    satisfied: dict[Need, Callable[[str], bool]] = {
        Need.UPLOAD: lambda name: name in uploaded,
        Need.PLEDGE: lambda name: name in facts.pledges,
        Need.BANK_ACCOUNT: lambda _name: bank,
        Need.EMPLOYER_ACCOUNT: lambda _name: bool(emp_name),
        Need.PAYEE_ACCOUNT: lambda _name: bank if facts.pay_to == "person" else bool(emp_name),
        Need.SHARED: lambda _name: True,
    }
    return [r.name for r in checklist.requirements if not satisfied[r.need](r.name)]
