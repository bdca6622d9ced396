"""生育 claims end to end: the checklist from the guide, submit, review steps and history."""

from __future__ import annotations

from flask import Flask

from app.audit import AuditEntry
from tests.selfservice.maternity.conftest import BANK, citizen, complete, reviewer


def test_a_woman_files_a_medical_claim_and_the_agency_pays_it(demo: Flask) -> None:
    me = citizen(demo, "DEMO0006")
    claim = me.create({"type": "maternity.medical", "event_date": "2026-11-20",
                       "claimed_amount": "3560.50", **BANK})  # fmt: skip
    assert claim["status"] == "draft"
    assert claim["source_region"] == "530000"  # 昆明's own guide is counter-only
    assert me.uploads_for(claim) == ["医疗机构收费票据", "诊断证明或出院记录或出院小结或出院证"]
    refused = me.submit(claim["id"], expect=422)
    assert refused["code"] == "maternity_materials_missing"
    assert "医疗机构收费票据" in refused["message"]
    claim = complete(me, claim)
    assert claim["missing"] == []
    claim = me.submit(claim["id"])
    assert claim["status"] == "submitted"
    staff = reviewer(demo)
    for step, status in [("accept", "accepted"), ("review", "reviewed")]:
        assert staff.step(claim["id"], step)["status"] == status
    settled = staff.step(claim["id"], "settle", settled_amount="3200.00")
    assert settled["settled_amount"] == "3200.00"
    paid = staff.step(claim["id"], "pay")
    assert paid["status"] == "paid"
    mine = me.get(f"/api/v1/maternity/claims/{claim['id']}")
    actions = [e["action"] for e in mine["history"]]
    assert actions[-5:] == ["submit", "accept", "review", "settle", "pay"]
    assert all(e["actor_id"] and e["created_at"] for e in mine["history"])
    assert mine["promise"]["day"] is not None
    with demo.extensions["db"].session() as session:
        logged = session.query(AuditEntry).filter_by(record_id=claim["id"]).count()
    assert logged == len(mine["history"])
