"""Conditions against the registry, cases from the guide, bank accounts, payees, once-only."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.selfservice.registry.demo import PEOPLE
from tests.selfservice.maternity.conftest import BANK, CARD, citizen, complete, reviewer

CERTNO = {p.psn_no: p.certno for p in PEOPLE}
SPOUSE = {"beneficiary": "spouse", "spouse_name": "李演示", "spouse_certno": CERTNO["DEMO0002"]}
MAN_BANK = {**BANK, "bank_account_name": "王测试"}


@pytest.mark.parametrize(
    ("psn_no", "body", "field"),
    [
        ("DEMO0007", {"type": "maternity.medical"}, "type"),  # 生育保险 paused
        ("DEMO0009", {"type": "maternity.allowance", "allowance_kind": "childbirth"}, "type"),
        ("DEMO0001", {"type": "maternity.medical"}, "beneficiary"),  # a man for himself
        ("DEMO0006", {"type": "maternity.medical", **SPOUSE}, "beneficiary"),  # a woman
        ("DEMO0001", {"type": "maternity.allowance", "allowance_kind": "childbirth"},
         "allowance_kind"),
        ("DEMO0006", {"type": "maternity.allowance", "allowance_kind": "paternity-leave"},
         "allowance_kind"),
        ("DEMO0006", {"type": "maternity.allowance"}, "allowance_kind"),
        ("DEMO0006", {"type": "maternity.medical", "allowance_kind": "childbirth"},
         "allowance_kind"),
        ("DEMO0001", {"type": "maternity.assisted-reproduction", **SPOUSE}, "beneficiary"),
        # 全省通办's 计划生育 guide has no case for a spouse
        ("DEMO0001", {"type": "maternity.family-planning", **SPOUSE}, "beneficiary"),
        ("DEMO0001", {"type": "maternity.medical", **SPOUSE,
                      "spouse_certno": CERTNO["DEMO0006"]}, "spouse_certno"),  # employed
        ("DEMO0001", {"type": "maternity.medical", **SPOUSE,
                      "spouse_certno": CERTNO["DEMO0001"]}, "spouse_certno"),  # himself
        ("DEMO0001", {"type": "maternity.medical", **SPOUSE,
                      "spouse_certno": "530102199001011231"}, "spouse_certno"),  # checksum
        ("DEMO0006", {"type": "maternity.medical", **BANK,
                      "bank_account_no": CARD[:-1] + str((int(CARD[-1]) + 1) % 10)},
         "bank_account_no"),  # Luhn
        ("DEMO0006", {"type": "maternity.medical", **BANK, "bank_account_name": "别人"},
         "bank_account_name"),
        ("DEMO0006", {"type": "maternity.medical", "bank_account_no": CARD}, "bank_account_no"),
        ("DEMO0006", {"type": "maternity.medical", "event_date": "2099-01-01"}, "event_date"),
        ("DEMO0006", {"type": "maternity.medical", "claimed_amount": "-5"}, "claimed_amount"),
        ("DEMO0006", {"type": "maternity.medical", "claimed_amount": "NaN"}, "claimed_amount"),
        ("DEMO0006", {"type": "maternity.lump-sum"}, "type"),
        ("DEMO0006", {"type": "maternity.medical", "colour": "red"}, "colour"),
    ],
)  # fmt: skip
def test_each_condition_refuses_in_chinese_naming_the_field(
    demo: Flask, psn_no: str, body: dict[str, Any], field: str
) -> None:
    refused = citizen(demo, psn_no).create(body, expect=422)
    assert field in refused["errors"], refused


def test_the_unemployed_spouse_case_adds_the_pledge_and_the_marriage_certificate(
    demo: Flask,
) -> None:
    me = citizen(demo, "DEMO0001")
    claim = me.create({"type": "maternity.medical", "event_date": "2026-11-02", **SPOUSE,
                       **MAN_BANK})  # fmt: skip
    assert claim["spouse_certno"] != CERTNO["DEMO0002"]  # masked
    names = {i["name"]: i["need"] for i in claim["checklist"]}
    assert names["《配偶未就业承诺书》"] == "pledge"
    assert names["《结婚证》复印件"] == "upload"
    claim = complete(me, claim)
    refused = me.submit(claim["id"], expect=422)
    assert refused["errors"]["materials"] == ["《配偶未就业承诺书》"]
    assert "《配偶未就业承诺书》" in refused["message"]
    me.patch(claim["id"], {"pledges": ["《配偶未就业承诺书》"]})
    assert me.submit(claim["id"])["status"] == "submitted"


def test_paternity_leave_adds_the_birth_certificate_and_pays_the_employer(demo: Flask) -> None:
    me = citizen(demo, "DEMO0001")
    claim = me.create({"type": "maternity.allowance", "allowance_kind": "paternity-leave"})
    assert claim["pay_to"] == "employer"  # 津贴拨付到单位
    names = {i["name"]: i for i in claim["checklist"]}
    assert "《出生医学证明》复印件" in names
    assert names["单位银行账户信息（户名、账号、开户行）"]["satisfied"] is True
    assert "个人银行账户信息（户名、账号、开户行）" not in names
    assert claim["promise"] is None  # counted from acceptance
    to_person = me.patch(claim["id"], {"pay_to": "person"})
    assert "个人银行账户信息（户名、账号、开户行）" in to_person["missing"]


def test_paying_a_person_needs_a_bank_account_where_the_guide_asks_for_one(demo: Flask) -> None:
    me = citizen(demo, "DEMO0006")
    claim = complete(me, me.create({"type": "maternity.family-planning",
                                    "event_date": "2026-11-02"}))  # fmt: skip
    assert claim["pay_to"] == "person"
    refused = me.submit(claim["id"], expect=422)
    assert refused["errors"]["materials"] == ["银行账户信息（户名、账号、开户行）"]
    me.patch(claim["id"], {"pay_to": "employer"})
    assert me.submit(claim["id"])["status"] == "submitted"


def test_a_submitted_claim_needs_its_date(demo: Flask) -> None:
    me = citizen(demo, "DEMO0006")
    claim = complete(me, me.create({"type": "maternity.medical", **BANK}))
    assert "event_date" in me.submit(claim["id"], expect=422)["errors"]


def test_assisted_reproduction_is_paid_once_per_person(demo: Flask) -> None:
    me = citizen(demo, "DEMO0006")
    body = {"type": "maternity.assisted-reproduction", "event_date": "2026-10-01", **BANK}
    first = complete(me, me.create(body))
    second = complete(me, me.create(body))  # two drafts may exist; only one may stand
    me.submit(first["id"])
    assert me.submit(second["id"], expect=409)["code"] == "maternity_already_claimed"
    assert me.create(body, expect=409)["code"] == "maternity_already_claimed"
    reviewer(demo).step(first["id"], "refuse", reasons=["未成功生育"])
    assert me.submit(second["id"])["status"] == "submitted"  # refused: may apply again
