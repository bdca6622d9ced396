"""Owner-only access, clerks acting for citizens, retries with one Idempotency-Key, and uploads
that are malformed or hostile changing nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.selfservice.maternity.models import ClaimEvent, ClaimMaterial, MaternityClaim
from app.selfservice.uploads.models import Upload
from app.store import KeyValueStore, MemoryStore
from tests.factories import staff_headers
from tests.selfservice.maternity.conftest import BANK, URL, Calls, citizen, complete
from tests.selfservice.uploads.test_uploads import PDF, bomb, jpeg

MEDICAL = {"type": "maternity.medical", "event_date": "2026-11-20", **BANK}
RECEIPT = "医疗机构收费票据"


def count(app: Flask, model: Any) -> int:
    with app.extensions["db"].session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_another_citizen_finds_nothing_of_mine(demo: Flask) -> None:
    me, other = citizen(demo, "DEMO0006"), citizen(demo, "DEMO0001")
    claim = me.create(MEDICAL)
    claim = me.upload(claim["id"], RECEIPT)
    material = claim["materials"][0]["id"]
    url = f"{URL}/{claim['id']}"
    for answer in (
        other.get(url, expect=404),
        other.patch(claim["id"], {"claimed_amount": "1.00"}, expect=404),
        other.upload(claim["id"], RECEIPT, expect=404),
        other.delete(claim["id"], material, expect=404),
        other.submit(claim["id"], expect=404),
        other.get(f"{url}/settlement.pdf", expect=404),
    ):
        assert answer["code"] == "maternity_claim_not_found"
    assert other.get(URL) == []
    assert other.create({**MEDICAL, "psn_no": "DEMO0006"}, expect=403)["code"] == "not_allowed"
    assert [c["id"] for c in me.get(URL)] == [claim["id"]]
    anonymous = Calls(demo, {})
    assert anonymous.get(url, expect=401)["code"] == "not_logged_in"


def test_a_clerk_files_for_a_citizen_and_the_record_says_so(demo: Flask) -> None:
    clerk = Calls(demo, staff_headers(demo, username="clerk-m2"))
    assert clerk.create(MEDICAL, expect=422)["code"] == "psn_no_required"
    claim = complete(clerk, clerk.create({**MEDICAL, "psn_no": "DEMO0006"}))
    assert claim["acting_staff_id"]
    assert claim["dcla_souc"] == "counter"
    assert clerk.submit(claim["id"])["status"] == "submitted"
    assert citizen(demo, "DEMO0006").get(f"{URL}/{claim['id']}")["status"] == "submitted"


def test_drafts_change_only_while_drafts(demo: Flask) -> None:
    me = citizen(demo, "DEMO0006")
    claim = complete(me, me.create(MEDICAL))
    me.submit(claim["id"])
    assert me.patch(claim["id"], {"claimed_amount": "1.00"}, expect=409)["code"] == (
        "maternity_claim_not_editable"
    )
    me.upload(claim["id"], RECEIPT, expect=409)
    me.delete(claim["id"], claim["materials"][0]["id"], expect=409)
    me.submit(claim["id"], expect=409)
    assert me.upload(me.create(MEDICAL)["id"], "不存在的材料", expect=422)["errors"]["name"]


@pytest.mark.parametrize("forget", [False, True])
def test_retries_with_the_same_key_make_one_record(
    demo: Flask, store: KeyValueStore, forget: bool
) -> None:
    """forget: the store lost the key (a crash before the reply was kept): the records'
    unique keys still make the retry find the first record."""
    me = citizen(demo, "DEMO0006")
    key = {"Idempotency-Key": "claim-1"}

    def forgotten() -> None:
        if forget:
            demo.extensions["store"] = MemoryStore()
            me.headers = citizen(demo, "DEMO0006").headers

    first = me.create(MEDICAL, **key)
    forgotten()
    assert me.create(MEDICAL, **key)["id"] == first["id"]
    upload = {"Idempotency-Key": "upload-1"}
    me.upload(first["id"], RECEIPT, **upload)
    forgotten()
    claim = me.upload(first["id"], RECEIPT, **upload)
    assert [m["name"] for m in claim["materials"]] == [RECEIPT]
    me.upload(first["id"], "诊断证明或出院记录或出院小结或出院证")
    submit = {"Idempotency-Key": "submit-1"}
    me.submit(first["id"], **submit)
    forgotten()
    assert me.submit(first["id"], **submit)["status"] == "submitted"
    assert count(demo, MaternityClaim) == 1
    assert count(demo, ClaimMaterial) == 2
    with demo.extensions["db"].session() as session:
        submits = session.scalars(sa.select(ClaimEvent).where(ClaimEvent.action == "submit"))
        assert len(list(submits)) == 1
    demo.extensions["store"] = store


@pytest.mark.parametrize(
    ("content", "filename", "expect"),
    [
        (b"MZ\x90\x00 not a photo", "receipt.jpg", 422),  # named .jpg, is not one
        (b"", "empty.png", 422),
        (bomb(), "bomb.png", 422),
        (jpeg()[:40], "truncated.jpg", 422),
        (b"%PDF-1.4 no end marker", "broken.pdf", 422),
        (b"<svg onload=alert(1)>", "x.svg", 422),
    ],
)
def test_a_malformed_or_hostile_upload_changes_nothing(
    demo: Flask, content: bytes, filename: str, expect: int
) -> None:
    me = citizen(demo, "DEMO0006")
    claim = me.create(MEDICAL)
    before = count(demo, Upload), count(demo, ClaimEvent)
    answer = me.upload(claim["id"], RECEIPT, content, filename=filename, expect=expect)
    assert answer["code"] == "upload_refused"
    assert (count(demo, Upload), count(demo, ClaimEvent)) == before
    assert me.get(f"{URL}/{claim['id']}")["materials"] == []


def test_a_pdf_is_accepted_and_its_name_is_cleaned(demo: Flask) -> None:
    me = citizen(demo, "DEMO0006")
    claim = me.create(MEDICAL)
    claim = me.upload(claim["id"], RECEIPT, PDF, filename="../../etc/发票.pdf")
    assert claim["materials"][0]["label"] == "发票.pdf"
    assert claim["materials"][0]["content_type"] == "application/pdf"
    missing_file = me.client.post(f"{URL}/{claim['id']}/materials", data={"name": RECEIPT},
                                  headers=me.headers)  # fmt: skip
    assert missing_file.status_code == 422
