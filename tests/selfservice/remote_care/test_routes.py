"""异地就医备案 over HTTP: rules, refusals, ownership, retries, clerks acting for citizens."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from app.audit import AuditEntry
from app.selfservice.registry.demo import seed_people
from app.selfservice.remote_care.models import RemoteCareFiling
from tests.conftest import assert_error_shape
from tests.factories import citizen_headers, staff_headers

URL = "/api/v1/remote-care/filings"
TODAY = datetime.now(UTC).date()


@pytest.fixture
def demo(db_app: Flask) -> Flask:
    with db_app.extensions["db"].session() as session:
        seed_people(session)
    return db_app


def body(**overrides: Any) -> dict[str, Any]:
    """A valid 常驻异地工作 filing for DEMO0001 (职工, insured in 昆明), going to 海口."""
    return {
        "kind": "remote.work",
        "insutype": "310",
        "rloc_admdvs": "460100",
        "resout_addr": "海南省海口市示例路1号",
        "tel": "0898-12345678",
        "begndate": TODAY.isoformat(),
        "pledge": True,
        **overrides,
    }


def post(app: Flask, headers: dict[str, str], payload: dict[str, Any], **extra: str) -> Any:
    return app.test_client().post(URL, json=payload, headers={**headers, **extra})


def test_a_citizen_files_and_the_reply_is_the_result(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c1", psn_no="DEMO0001")
    response = post(demo, me, body())
    assert response.status_code == 201, response.get_json()
    filing = response.get_json()
    assert filing["status"] == "active"
    assert filing["insu_admdvs"] == "530100"
    assert filing["enddate"] is None
    assert filing["dcla_souc"] == "miniprogram"
    listed = demo.test_client().get(URL, headers=me).get_json()
    assert [f["id"] for f in listed] == [filing["id"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "remote.retiree"}, "kind"),  # DEMO0001 is not retired
        ({"rloc_admdvs": "530102"}, "rloc_admdvs"),  # inside 昆明, the 参保地
        ({"rloc_admdvs": "999999"}, "rloc_admdvs"),  # no such division
        ({"rloc_admdvs": "530422"}, "rloc_admdvs"),  # abolished (now 530403)
        ({"rloc_admdvs": "460000"}, "rloc_admdvs"),  # a province, not a city or county
        ({"insutype": "390"}, "insutype"),  # not insured as a resident
        ({"pledge": False}, "pledge"),
        ({"enddate": (TODAY + timedelta(days=30)).isoformat()}, "enddate"),  # long-term
        ({"kind": "remote.referral"}, "referral_hospital"),
        ({"filed_by": "agent"}, "agnter_name"),
        (
            {"filed_by": "agent", "agnter_name": "代办人", "agnter_tel": "13800000000",
             "agnter_rlts": "子女", "agnter_certno": "110101200001011230"},
            "agnter_certno",
        ),
    ],
)  # fmt: skip
def test_each_rule_refuses_with_a_chinese_message_per_field(
    demo: Flask, overrides: dict[str, Any], field: str
) -> None:
    me = citizen_headers(demo, openid="c2", psn_no="DEMO0001")
    response = post(demo, me, body(**overrides))
    assert response.status_code == 422, response.get_json()
    payload = response.get_json()
    assert_error_shape(payload)
    assert field in payload["errors"]
    with demo.extensions["db"].session() as session:
        assert session.query(RemoteCareFiling).count() == 0


def test_temporary_filings_last_at_least_six_months(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c3", psn_no="DEMO0001")
    short = body(kind="remote.temporary", enddate=(TODAY + timedelta(days=60)).isoformat())
    assert post(demo, me, short).status_code == 422
    default = post(demo, me, body(kind="remote.temporary")).get_json()
    assert date.fromisoformat(default["enddate"]) >= TODAY + timedelta(days=180)


def test_retirees_may_file_for_resettlement(demo: Flask) -> None:
    retiree = citizen_headers(demo, openid="c4", psn_no="DEMO0005")  # retired, 楚雄
    response = post(demo, retiree, body(kind="remote.retiree", rloc_admdvs="530102"))
    assert response.status_code == 201, response.get_json()


def test_an_overlapping_second_filing_is_refused(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c5", psn_no="DEMO0001")
    assert post(demo, me, body()).status_code == 201
    again = post(demo, me, body(rloc_admdvs="110105"))
    assert again.status_code == 409
    assert again.get_json()["code"] == "remote_care_already_filed"


def test_a_retry_with_the_same_key_creates_one_record(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c6", psn_no="DEMO0001")
    first = post(demo, me, body(), **{"Idempotency-Key": "filing-1"})
    second = post(demo, me, body(), **{"Idempotency-Key": "filing-1"})
    assert first.status_code == second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    with demo.extensions["db"].session() as session:
        assert session.query(RemoteCareFiling).count() == 1


def test_long_term_filings_change_or_cancel_only_after_six_months(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c7", psn_no="DEMO0001")
    filing = post(demo, me, body()).get_json()
    client = demo.test_client()
    cancel = client.post(f"{URL}/{filing['id']}/cancel", headers=me)
    assert cancel.status_code == 409
    assert "6 个月" in cancel.get_json()["message"]
    old = post(
        demo,
        citizen_headers(demo, openid="c7b", psn_no="DEMO0006"),
        body(begndate=(TODAY - timedelta(days=200)).isoformat()),
    ).get_json()
    her = citizen_headers(demo, openid="c7b", psn_no="DEMO0006")
    changed = client.post(f"{URL}/{old['id']}/change", json=body(rloc_admdvs="110105"), headers=her)
    assert changed.status_code == 201, changed.get_json()
    assert changed.get_json()["changed_from"] == old["id"]
    assert client.get(f"{URL}/{old['id']}", headers=her).get_json()["status"] == "superseded"


def test_temporary_filings_may_be_cancelled_at_once(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c7c", psn_no="DEMO0001")
    filing = post(demo, me, body(kind="remote.temporary")).get_json()
    cancelled = demo.test_client().post(f"{URL}/{filing['id']}/cancel", headers=me)
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    again = demo.test_client().post(f"{URL}/{filing['id']}/cancel", headers=me)
    assert again.get_json()["code"] == "remote_care_not_active"


def test_nobody_reads_or_cancels_anothers_filing(demo: Flask) -> None:
    mine = post(demo, citizen_headers(demo, openid="c8", psn_no="DEMO0001"), body()).get_json()
    other = citizen_headers(demo, openid="c9", psn_no="DEMO0006")
    client = demo.test_client()
    assert client.get(f"{URL}/{mine['id']}", headers=other).status_code == 404
    assert client.post(f"{URL}/{mine['id']}/cancel", headers=other).status_code == 404
    assert client.get(f"{URL}/{'0' * 32}", headers=other).status_code == 404
    assert client.get(URL, headers=other).get_json() == []
    assert post(demo, other, body(psn_no="DEMO0001")).status_code == 403


def test_unbound_and_anonymous_callers_are_refused(demo: Flask) -> None:
    assert demo.test_client().post(URL, json=body()).status_code == 401
    unbound = citizen_headers(demo, openid="c10", psn_no=None)
    refused = post(demo, unbound, body())
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "not_bound"


def test_a_clerk_files_for_a_citizen_and_the_audit_log_says_so(demo: Flask) -> None:
    clerk = staff_headers(demo, username="clerk-rc")
    assert post(demo, clerk, body()).get_json()["code"] == "psn_no_required"
    response = post(demo, clerk, body(psn_no="DEMO0001"))
    assert response.status_code == 201, response.get_json()
    filing = response.get_json()
    assert filing["dcla_souc"] == "counter"
    assert filing["acting_staff_id"]
    with demo.extensions["db"].session() as session:
        entry = session.query(AuditEntry).filter_by(record_id=filing["id"]).one()
    assert (entry.actor_kind, entry.on_behalf_of) == ("staff", "DEMO0001")


def test_agent_id_numbers_are_masked_in_replies(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c11", psn_no="DEMO0001")
    from app.selfservice.registry.demo import synthetic_certno

    agent = synthetic_certno("530102", date(1960, 1, 1), 15)
    response = post(
        demo,
        me,
        body(filed_by="agent", agnter_name="代办人", agnter_certno=agent,
             agnter_tel="13800000000", agnter_rlts="子女"),
    )  # fmt: skip
    assert response.status_code == 201, response.get_json()
    assert agent not in response.get_data(as_text=True)
    assert "********" in response.get_json()["agnter_certno"]


def _upload(app: Flask, headers: dict[str, str]) -> str:
    from tests.selfservice.uploads.test_uploads import PDF

    response = app.test_client().post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(PDF), "转诊证明.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["id"])


def test_a_referral_carries_the_hospitals_certificate(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c12", psn_no="DEMO0001")
    referral = body(kind="remote.referral", referral_hospital="示例市第一人民医院")
    missing = post(demo, me, referral)
    assert "referral_certificate" in missing.get_json()["errors"]
    someone_else = _upload(demo, citizen_headers(demo, openid="c13", psn_no="DEMO0006"))
    stolen = post(demo, me, {**referral, "referral_certificate": someone_else})
    assert stolen.status_code == 422
    assert "referral_certificate" in stolen.get_json()["errors"]
    mine = _upload(demo, me)
    filed = post(demo, me, {**referral, "referral_certificate": mine})
    assert filed.status_code == 201, filed.get_json()
    assert filed.get_json()["referral_certificate"] == mine
