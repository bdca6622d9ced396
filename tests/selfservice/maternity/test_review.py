"""Review steps: order, 补正 and resubmission, reasons, overdue lists, the 结算单 PDF."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from flask import Flask
from pypdf import PdfReader

from app.selfservice.maternity.models import MaternityClaim
from app.selfservice.registry.demo import PEOPLE
from tests.factories import staff_headers
from tests.selfservice.maternity.conftest import BANK, STAFF_URL, Calls, citizen, complete, reviewer

WOMAN = next(p for p in PEOPLE if p.psn_no == "DEMO0006")


def submitted(app: Flask) -> tuple[Calls, str]:
    me = citizen(app, "DEMO0006")
    claim = complete(me, me.create({"type": "maternity.medical", "event_date": "2026-11-20",
                                    "claimed_amount": "3560.50", **BANK}))  # fmt: skip
    me.submit(claim["id"])
    return me, claim["id"]


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], "review"),  # not yet accepted
        ([], "settle"),
        ([], "pay"),
        (["accept"], "accept"),  # twice
        (["accept"], "settle"),  # skipping 审核
        (["accept"], "refuse"),  # 不予受理 is for a claim not accepted
        (["accept", "review"], "request_correction"),  # no going back after 审核
        (["accept", "review", "settle", "pay"], "accept"),
    ],
)
def test_steps_follow_the_order_and_never_go_back(
    demo: Flask, steps: list[str], refused: str
) -> None:
    _, claim_id = submitted(demo)
    staff = reviewer(demo)
    for step in steps:
        staff.step(claim_id, step, **({"settled_amount": "1.00"} if step == "settle" else {}))
    extra = {"reasons": ["理由"]} if refused in {"refuse", "request_correction"} else {}
    answer = staff.step(claim_id, refused, expect=409, **extra)
    assert answer["code"] == "maternity_step_not_allowed"


def test_reasons_and_amounts_are_required_where_the_step_needs_them(demo: Flask) -> None:
    _, claim_id = submitted(demo)
    staff = reviewer(demo)
    assert "reasons" in staff.step(claim_id, "refuse", expect=422)["errors"]
    assert "reasons" in staff.step(claim_id, "request_correction", expect=422)["errors"]
    staff.step(claim_id, "accept")
    wrong = staff.step(claim_id, "review", expect=422, settled_amount="9")
    assert "settled_amount" in wrong["errors"]
    staff.step(claim_id, "review")
    assert "settled_amount" in staff.step(claim_id, "settle", expect=422)["errors"]


def test_correction_returns_the_claim_and_resubmission_resumes_where_it_was(demo: Flask) -> None:
    me, claim_id = submitted(demo)
    staff = reviewer(demo)
    staff.step(claim_id, "accept")
    returned = staff.step(claim_id, "request_correction", reasons=["发票不清晰，请重新拍照"])
    assert returned["status"] == "correction"
    assert returned["promise"]["paused"] is True
    assert returned["promise"]["day"] is None
    claim = me.get(f"/api/v1/maternity/claims/{claim_id}")
    assert claim["history"][-1]["reasons"] == ["发票不清晰，请重新拍照"]
    receipt = next(m for m in claim["materials"] if m["name"] == "医疗机构收费票据")
    me.delete(claim_id, receipt["id"])
    assert me.submit(claim_id, expect=422)["errors"]["materials"] == ["医疗机构收费票据"]
    me.upload(claim_id, "医疗机构收费票据")
    again = me.submit(claim_id)
    assert again["status"] == "accepted"  # back to 审核, not to the start
    assert again["promise"]["paused"] is False
    assert again["promise"]["day"]
    assert [e["action"] for e in again["history"]][-3:] == ["remove_material", "add_material",
                                                            "resubmit"]  # fmt: skip


def test_a_refused_claim_carries_its_reasons_and_is_closed(demo: Flask) -> None:
    me, claim_id = submitted(demo)
    refused = reviewer(demo).step(claim_id, "refuse", reasons=["不属于生育保险支付范围"])
    assert refused["status"] == "refused"
    assert refused["closed_at"]
    me.patch(claim_id, {"claimed_amount": "1.00"}, expect=409)


def test_only_reviewers_take_steps_and_citizens_see_no_staff_list(demo: Flask) -> None:
    me, claim_id = submitted(demo)
    clerk = Calls(demo, staff_headers(demo, username="clerk-m"))
    assert clerk.step(claim_id, "accept", expect=403)["code"] == "not_allowed"
    me.get(STAFF_URL, expect=403)
    me.step(claim_id, "accept", expect=403)


def test_overdue_claims_are_listed_for_staff(demo: Flask) -> None:
    _, late = submitted(demo)
    _, fresh = submitted(demo)
    staff = reviewer(demo)
    staff.step(late, "accept")
    staff.step(fresh, "accept")
    with demo.extensions["db"].session() as session, session.begin():
        claim = session.get(MaternityClaim, late)
        assert claim is not None
        claim.accepted_at = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
    overdue = staff.get(f"{STAFF_URL}?overdue=true")
    assert [c["id"] for c in overdue] == [late]
    assert overdue[0]["promise"]["overdue"] is True
    # 9-2..4, 9-7..11, 9-14..18, Sunday 9-20 worked (调休 for 国庆), 9-21: the 15th working day
    assert overdue[0]["promise"]["day"] == "2026-09-21"
    assert {c["id"] for c in staff.get(f"{STAFF_URL}?status=accepted")} == {late, fresh}
    staff.get(f"{STAFF_URL}?overdue=maybe", expect=422)


def test_the_settlement_pdf_carries_the_facts_in_chinese(demo: Flask) -> None:
    me, claim_id = submitted(demo)
    staff = reviewer(demo)
    me.get(f"/api/v1/maternity/claims/{claim_id}/settlement.pdf", expect=404)
    for step in ("accept", "review"):
        staff.step(claim_id, step)
    settled = staff.step(claim_id, "settle", settled_amount="3200.00")
    assert settled["settlement_pdf_url"].endswith("/settlement.pdf")
    for caller in (me, staff):
        with caller.client.get(settled["settlement_pdf_url"], headers=caller.headers) as response:
            assert response.status_code == 200
            assert response.mimetype == "application/pdf"
            pages = PdfReader(io.BytesIO(response.data)).pages
        text = "".join(page.extract_text() for page in pages)
        for fact in ("云南省医疗保障医保结算单", WOMAN.psn_name, "生育医疗费支付", "3560.50",
                     "3200.00", "昆明市医疗保障经办机构", "尾号"):  # fmt: skip
            assert fact in text, fact
        assert WOMAN.certno not in text
        assert f"{WOMAN.certno[:6]}********{WOMAN.certno[-4:]}" in text
        assert settled["settlement_code"] in text
    other = citizen(demo, "DEMO0001")
    other.get(settled["settlement_pdf_url"], expect=404)
    check = other.get(f"/api/v1/certificates/verify/{settled['settlement_code']}")
    assert check["valid"] is True
    assert check["title"] == "云南省医疗保障医保结算单"
    assert check["facts"]["settled"] == "3200.00"
    assert WOMAN.certno not in str(check)
