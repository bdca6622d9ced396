"""异地就医备案 over HTTP: rules, refusals, ownership, retries, clerks acting for citizens."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from app.audit import AuditEntry
from app.auth import Role
from app.selfservice.registry.demo import seed_people
from app.selfservice.remote_care.models import RemoteCareFiling
from tests.conftest import assert_error_shape
from tests.factories import citizen_headers, staff_headers
from tests.selfservice.conftest import at_once

URL = "/api/v1/remote-care/filings"
# The app's clock is set to noon in China on a fixed Wednesday, so "today" never moves under a test.
NOW = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def demo(db_app: Flask) -> Iterator[Flask]:
    with db_app.extensions["db"].session() as session:
        seed_people(session)
    db_app.extensions["clock"] = Clock(NOW)
    try:
        yield db_app
    finally:
        del db_app.extensions["clock"]


def move_clock(app: Flask, by: timedelta) -> None:
    app.extensions["clock"].now += by


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


@pytest.mark.parametrize(
    "second",
    [
        {"rloc_admdvs": "110105"},  # the same 险种 elsewhere: overlaps an open-ended filing
        {},  # the very same filing again
        {"kind": "remote.temporary", "begndate": (TODAY + timedelta(days=300)).isoformat()},
    ],
)
def test_a_second_active_filing_for_the_insurance_is_refused_per_field(
    demo: Flask, second: dict[str, Any]
) -> None:
    me = citizen_headers(demo, openid="c5", psn_no="DEMO0001")
    assert post(demo, me, body()).status_code == 201
    again = post(demo, me, body(**second))
    assert again.status_code == 422, again.get_json()
    assert_error_shape(again.get_json())
    assert again.get_json()["code"] == "remote_care_already_filed"
    assert "有效的异地就医备案" in again.get_json()["errors"]["insutype"][0]
    with demo.extensions["db"].session() as session:
        assert session.query(RemoteCareFiling).count() == 1


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
    move_clock(demo, timedelta(days=182))  # 2026-12-09: one day short of six months
    early = client.post(f"{URL}/{filing['id']}/change", json=body(), headers=me)
    assert early.status_code == 409
    assert "2026年12月10日" in early.get_json()["message"]
    move_clock(demo, timedelta(days=1))
    later = body(rloc_admdvs="110105", begndate=(TODAY + timedelta(days=183)).isoformat())
    changed = client.post(f"{URL}/{filing['id']}/change", json=later, headers=me)
    assert changed.status_code == 201, changed.get_json()
    assert changed.get_json()["changed_from"] == filing["id"]
    assert client.get(f"{URL}/{filing['id']}", headers=me).get_json()["status"] == "superseded"


@pytest.mark.parametrize(
    ("kind", "begndate", "enddate"),
    [
        ("remote.work", date(1900, 1, 1), None),  # would dodge the six-month lock
        ("remote.work", TODAY - timedelta(days=1), None),
        ("remote.temporary", TODAY - timedelta(days=190), None),  # would be expired already
        ("remote.work", date(9999, 12, 31), None),
        ("remote.temporary", date(9999, 12, 31), None),  # +6 months used to overflow: a 500
        ("remote.temporary", date(9999, 6, 1), date(9999, 12, 31)),
        ("remote.work", TODAY + timedelta(days=366), None),
    ],
)
def test_start_dates_are_bounded(
    demo: Flask, kind: str, begndate: date, enddate: date | None
) -> None:
    me = citizen_headers(demo, openid="c7d", psn_no="DEMO0001")
    dates = {"begndate": begndate.isoformat(), "enddate": enddate and enddate.isoformat()}
    response = post(demo, me, body(kind=kind, **dates))
    assert response.status_code == 422, response.get_json()
    assert_error_shape(response.get_json())
    assert "开始日期" in response.get_json()["errors"]["begndate"][0]
    with demo.extensions["db"].session() as session:
        assert session.query(RemoteCareFiling).count() == 0


def test_an_emergency_may_be_filed_after_the_fact_while_still_valid(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c7e", psn_no="DEMO0001")
    # 2026-06-10: an 急诊 from 2026-01-05 is still inside its six months; one from 2025-12-01 not.
    emergency = body(kind="remote.temporary", begndate="2026-01-05")
    response = post(demo, me, emergency)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["enddate"] == "2026-07-05"
    expired = post(demo, me, body(kind="remote.temporary", begndate="2025-12-01"))
    assert "六个月" in expired.get_json()["errors"]["begndate"][0]
    too_late = post(demo, me, body(kind="remote.work", begndate="2026-06-05"))
    assert "begndate" in too_late.get_json()["errors"]  # only 急诊 may be filed after the fact


def test_dates_in_the_wrong_order_are_refused(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c7f", psn_no="DEMO0001")
    wrong = body(kind="remote.temporary", enddate=(TODAY - timedelta(days=1)).isoformat())
    response = post(demo, me, wrong)
    assert response.status_code == 422
    assert_error_shape(response.get_json())
    assert response.get_json()["errors"]["enddate"] == ["结束日期不能早于开始日期。"]


def test_a_long_term_filing_cannot_be_cancelled_at_once_by_backdating(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c7g", psn_no="DEMO0001")
    old = post(demo, me, body(begndate="1900-01-01"))
    assert old.status_code == 422
    far = post(demo, me, body(begndate="9999-12-31"))
    assert far.status_code == 422


def test_temporary_filings_may_be_cancelled_at_once(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c7c", psn_no="DEMO0001")
    filing = post(demo, me, body(kind="remote.temporary")).get_json()
    cancelled = demo.test_client().post(f"{URL}/{filing['id']}/cancel", headers=me)
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    again = demo.test_client().post(f"{URL}/{filing['id']}/cancel", headers=me)
    assert again.get_json()["code"] == "remote_care_not_active"


def test_nobody_reads_cancels_or_changes_anothers_filing(demo: Flask) -> None:
    mine = post(demo, citizen_headers(demo, openid="c8", psn_no="DEMO0001"), body()).get_json()
    other = citizen_headers(demo, openid="c9", psn_no="DEMO0006")
    client = demo.test_client()
    assert client.get(f"{URL}/{mine['id']}", headers=other).status_code == 404
    assert client.post(f"{URL}/{mine['id']}/cancel", headers=other).status_code == 404
    move_clock(demo, timedelta(days=200))
    changed = client.post(f"{URL}/{mine['id']}/change", json=body(), headers=other)
    assert changed.status_code == 404
    assert_error_shape(changed.get_json())
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


def test_a_pledge_is_exactly_true(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c14", psn_no="DEMO0001")
    for pledge in ("yes", 1, "true", "1", None):
        response = post(demo, me, body(pledge=pledge))
        assert response.status_code == 422, pledge
        assert "pledge" in response.get_json()["errors"]
    with demo.extensions["db"].session() as session:
        assert session.query(RemoteCareFiling).count() == 0


def test_a_changed_filing_retried_after_the_store_lost_its_key_is_the_first_result(
    demo: Flask,
) -> None:
    me = citizen_headers(demo, openid="c15", psn_no="DEMO0001")
    filing = post(demo, me, body(kind="remote.temporary")).get_json()
    key = {"Idempotency-Key": "change-1"}
    client = demo.test_client()
    url = f"{URL}/{filing['id']}/change"
    first = client.post(url, json=body(kind="remote.temporary"), headers={**me, **key})
    assert first.status_code == 201, first.get_json()
    for slot in _idempotency_slots(demo):
        demo.extensions["store"].delete(slot)
    retry = client.post(url, json=body(kind="remote.temporary"), headers={**me, **key})
    assert retry.status_code == 201, retry.get_json()
    assert retry.get_json()["id"] == first.get_json()["id"]
    elsewhere = post(demo, me, body(), **key)  # the same key on another request: refused
    assert elsewhere.status_code == 422
    with demo.extensions["db"].session() as session:
        assert session.query(RemoteCareFiling).count() == 2


def _idempotency_slots(app: Flask) -> list[str]:
    store = app.extensions["store"]
    if hasattr(store, "_data"):  # MemoryStore
        return [k for k in store._data if k.startswith("idem:")]
    client, prefix = store._redis, store._prefix  # RedisStore
    return [str(k).removeprefix(prefix) for k in client.scan_iter(f"{prefix}idem:*")]


def test_cancel_and_change_land_in_the_audit_log(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c16", psn_no="DEMO0001")
    client = demo.test_client()
    first = post(demo, me, body(kind="remote.temporary")).get_json()
    changed = client.post(
        f"{URL}/{first['id']}/change", json=body(kind="remote.temporary"), headers=me
    ).get_json()
    client.post(f"{URL}/{changed['id']}/cancel", headers=me)
    with demo.extensions["db"].session() as session:
        query = session.query(AuditEntry).filter(AuditEntry.action.like("remote_care.%"))
        entries = query.order_by(AuditEntry.id).all()
    actions = [(e.action, e.record_id, e.on_behalf_of, e.actor_kind) for e in entries]
    assert actions == [
        ("remote_care.file", first["id"], "DEMO0001", "citizen"),
        ("remote_care.change", changed["id"], "DEMO0001", "citizen"),
        ("remote_care.cancel", changed["id"], "DEMO0001", "citizen"),
    ]
    assert all(e.request_id and e.channel == "miniprogram" for e in entries)


def test_timestamps_read_back_as_aware_utc(demo: Flask) -> None:
    me = citizen_headers(demo, openid="c17", psn_no="DEMO0001")
    filing = post(demo, me, body()).get_json()
    assert filing["created_at"].endswith("+00:00")
    listed = demo.test_client().get(URL, headers=me).get_json()
    assert listed[0]["created_at"] == "2026-06-10T04:00:00+00:00"
    with demo.extensions["db"].session() as session:
        stored = session.get(RemoteCareFiling, filing["id"])
        assert stored is not None
        assert stored.created_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_only_a_clerk_acts_for_a_citizen(demo: Flask, role: Role) -> None:
    mine = post(demo, citizen_headers(demo, openid="c18", psn_no="DEMO0001"), body()).get_json()
    staff = staff_headers(demo, username=f"staff-{role}", role=role)
    client = demo.test_client()
    move_clock(demo, timedelta(days=200))
    refused = [
        post(demo, staff, body(psn_no="DEMO0006")),
        client.post(f"{URL}/{mine['id']}/cancel", headers=staff),
        client.post(f"{URL}/{mine['id']}/change", json=body(), headers=staff),
    ]
    for response in refused:
        assert response.status_code == 403, response.get_json()
        assert_error_shape(response.get_json())
        assert response.get_json()["code"] == "acting_not_allowed"
    assert client.get(f"{URL}/{mine['id']}", headers=staff).status_code == 200  # reading is fine


def test_id_numbers_are_masked_in_the_log(demo: Flask) -> None:
    from app.logging import MaskIdNumbers
    from app.selfservice.registry.demo import synthetic_certno

    agent = synthetic_certno("530102", date(1960, 1, 1), 15)
    handler = logging.getLogger("app").handlers[0]
    assert any(isinstance(f, MaskIdNumbers) for f in handler.filters)
    record = logging.LogRecord("app.x", logging.INFO, __file__, 1, "agent %s", (agent,), None)
    for log_filter in handler.filters:
        assert log_filter.filter(record)
    formatted = handler.format(record)
    assert agent not in formatted
    assert agent[:6] + "********" + agent[-4:] in formatted


def test_concurrent_filings_with_different_keys_make_one_record(
    committing_postgresql: Flask,
) -> None:
    app = committing_postgresql
    me = citizen_headers(app, openid="race-1", psn_no="DEMO0001")
    app.extensions["clock"] = Clock(NOW)
    try:
        answers = at_once(
            8,
            lambda i: app.test_client().post(
                URL, json=body(), headers={**me, "Idempotency-Key": f"race-{i}"}
            ),
        )
    finally:
        del app.extensions["clock"]
    with app.extensions["db"].session() as session:
        assert session.query(RemoteCareFiling).filter_by(status="active").count() == 1
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [422] * 7, [a.get_json() for a in answers]
    assert {a.get_json()["code"] for a in answers if a.status_code == 422} == {
        "remote_care_already_filed"
    }
