"""The curated base itself: every guide of every seed is served, and known facts are there."""

from __future__ import annotations

from flask import Flask

from app.guides.kb import KnowledgeBase
from tests.conftest import ApiClient

# The 25 items of the 全省通办 list (云医保办〔2024〕55号), by catalog id.
PROVINCE_ITEMS = {
    "enroll.flexible", "enroll.resident", "enroll.student", "enroll.newborn",
    "enroll.resident-stop", "query.person", "change.person", "account.mutual-aid",
    "query.employer", "transfer", "ecode.sync", "cert.voucher", "cert.proof",
    "chronic.recognition", "remote.retiree", "remote.long-stay", "remote.work",
    "remote.referral", "remote.temporary", "maternity.medical", "maternity.family-planning",
    "maternity.assisted-reproduction", "maternity.allowance", "provider.hospital-change",
    "provider.pharmacy-change",
}  # fmt: skip


def _kb(app: Flask) -> KnowledgeBase:
    return app.extensions["knowledge_base"].current  # type: ignore[no-any-return]


def test_every_region_has_its_guide(real_app: Flask) -> None:
    kb = _kb(real_app)
    assert set(kb.regions) == set(kb.region_codes)
    for code, region in kb.regions.items():
        assert any(r == code for r, _ in kb.guides), code
        assert region.seed == kb.region_codes[code].seed


def test_the_province_list_is_complete(real_app: Flask) -> None:
    kb = _kb(real_app)
    assert {s for r, s in kb.guides if r == "530000"} >= PROVINCE_ITEMS


def test_every_guide_is_served(real_api: ApiClient, real_app: Flask) -> None:
    for region, service in _kb(real_app).guides:
        body = real_api.get(f"/api/v1/regions/{region}/services/{service}")
        assert body["source_region"] == region
        real_api.get(f"/api/v1/regions/{region}/services/{service}/materials")


def test_county_offices_and_phones(real_api: ApiClient) -> None:
    mouding = real_api.get("/api/v1/regions/532300/offices?county=牟定县")
    phones = {p for o in [*mouding["offices"], *mouding["contacts"]] for p in o["phones"]}
    assert "0878-5216579" in phones
    hongta = real_api.get("/api/v1/regions/玉溪/offices?county=红塔区")
    assert "2032877" in {p for c in hongta["contacts"] for p in c["phones"]}


def test_phones_are_given_in_the_form_a_phone_dials(real_api: ApiClient) -> None:
    # The guide prints 0878—6550115 and 0878 - 4128125; a mini-program dials what it is given.
    offices = real_api.get("/api/v1/regions/532300/offices?county=楚雄市")
    assert "0878-6550115" in {p for c in offices["contacts"] for p in c["phones"]}
    offices = real_api.get("/api/v1/regions/532300/offices?county=禄丰县")
    assert "0878-4128125" in {p for c in offices["contacts"] for p in c["phones"]}


def test_yueyang_stands_alone(real_api: ApiClient) -> None:
    services = real_api.get("/api/v1/services?region=430600")
    assert {s["source_region"] for s in services} == {"430600"}
    assert all(s["national_code"] for s in services)
    real_api.get("/api/v1/regions/430600/services/account.mutual-aid", expect=404)


def test_conflicts_are_recorded(real_app: Flask) -> None:
    kb = _kb(real_app)
    transfer = kb.guides[("530000", "transfer")]
    assert any(c.field == "time_limit" for c in transfer.conflicts)


def test_a_guide_says_whom_its_steps_are_written_for(real_api: ApiClient) -> None:
    # 玉溪's is the counter's operations guide: its steps are not for citizens' screens.
    yuxi = real_api.get("/api/v1/regions/530400/services/claim.inpatient")
    assert yuxi["steps_audience"] == "staff"
    assert real_api.get("/api/v1/regions/532300/services/claim.inpatient")["steps_audience"] == (
        "citizens"
    )
