"""个人账户共济 over HTTP: each condition, duplicates, retries, 解绑, ownership, clerks."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.audit import AuditEntry
from app.auth import Role
from app.selfservice.mutual_aid.models import MutualAidBinding
from app.selfservice.registry.demo import PEOPLE, seed_people
from tests.conftest import assert_error_shape
from tests.factories import citizen_headers, staff_headers
from tests.selfservice.conftest import at_once

URL = "/api/v1/mutual-aid/bindings"
PERSON = {p.psn_no: p for p in PEOPLE}


@pytest.fixture
def demo(db_app: Flask) -> Flask:
    with db_app.extensions["db"].session() as session:
        seed_people(session)
    return db_app


def for_relative(relative: str, **overrides: Any) -> dict[str, Any]:
    person = PERSON[relative]
    return {"user_name": person.psn_name, "user_certno": person.certno, "pledge": True, **overrides}


def post(app: Flask, headers: dict[str, str], payload: dict[str, Any], **extra: str) -> Any:
    return app.test_client().post(URL, json=payload, headers={**headers, **extra})


@pytest.mark.parametrize("relative", ["DEMO0002", "DEMO0003", "DEMO0004"])  # 配偶, 子女, 父母
def test_an_employee_authorises_close_relatives(demo: Flask, relative: str) -> None:
    me = citizen_headers(demo, openid="m1", psn_no="DEMO0001")
    response = post(demo, me, for_relative(relative))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["user_psn_no"] == relative


@pytest.mark.parametrize(
    ("authoriser", "payload", "expected"),
    [
        ("DEMO0002", for_relative("DEMO0001"), "授权人须正常参加职工基本医疗保险"),
        ("DEMO0001", for_relative("DEMO0001"), "不能授权给本人"),
        ("DEMO0001", for_relative("DEMO0005"), "配偶、父母、子女"),  # not a relative
        ("DEMO0001", for_relative("DEMO0002", user_name="张冠李戴"), "姓名与身份证号不匹配"),
        ("DEMO0001", for_relative("DEMO0002", pledge=False), "承诺书"),
    ],
)
def test_each_refusal_names_the_condition(
    demo: Flask, authoriser: str, payload: dict[str, Any], expected: str
) -> None:
    me = citizen_headers(demo, openid=f"m-{authoriser}", psn_no=authoriser)
    response = post(demo, me, payload)
    assert response.status_code == 422, response.get_json()
    assert_error_shape(response.get_json())
    assert expected in response.get_json()["message"]


def test_the_same_relative_twice_is_refused_but_a_retry_is_not(demo: Flask) -> None:
    me = citizen_headers(demo, openid="m2", psn_no="DEMO0001")
    first = post(demo, me, for_relative("DEMO0002"), **{"Idempotency-Key": "aid-1"})
    retry = post(demo, me, for_relative("DEMO0002"), **{"Idempotency-Key": "aid-1"})
    assert retry.get_json()["id"] == first.get_json()["id"]
    twice = post(demo, me, for_relative("DEMO0002"))
    assert twice.status_code == 422
    assert_error_shape(twice.get_json())
    assert twice.get_json()["errors"]["user_certno"] == ["您已授权过这位亲属，无需重复办理。"]
    with demo.extensions["db"].session() as session:
        assert session.query(MutualAidBinding).count() == 1


def test_both_sides_see_the_binding_and_only_the_authoriser_unbinds(demo: Flask) -> None:
    me = citizen_headers(demo, openid="m3", psn_no="DEMO0001")
    spouse = citizen_headers(demo, openid="m4", psn_no="DEMO0002")
    binding = post(demo, me, for_relative("DEMO0002")).get_json()
    client = demo.test_client()
    assert [b["id"] for b in client.get(URL, headers=spouse).get_json()["as_user"]] == [
        binding["id"]
    ]
    assert client.delete(f"{URL}/{binding['id']}", headers=spouse).status_code == 404
    stranger = citizen_headers(demo, openid="m5", psn_no="DEMO0006")
    assert client.delete(f"{URL}/{binding['id']}", headers=stranger).status_code == 404
    unbound = client.delete(f"{URL}/{binding['id']}", headers=me)
    assert unbound.status_code == 200
    assert unbound.get_json()["status"] == "unbound"
    assert post(demo, me, for_relative("DEMO0002")).status_code == 201  # may authorise again


def test_a_clerk_authorises_for_a_named_citizen(demo: Flask) -> None:
    clerk = staff_headers(demo, username="clerk-aid")
    response = post(demo, clerk, for_relative("DEMO0004", psn_no="DEMO0001"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["channel"] == "counter"


def test_a_pledge_is_exactly_true(demo: Flask) -> None:
    me = citizen_headers(demo, openid="m6", psn_no="DEMO0001")
    for pledge in ("yes", 1, "true"):
        response = post(demo, me, for_relative("DEMO0002", pledge=pledge))
        assert response.status_code == 422, pledge
        assert "pledge" in response.get_json()["errors"]
    with demo.extensions["db"].session() as session:
        assert session.query(MutualAidBinding).count() == 0


def test_a_user_id_number_with_a_wrong_check_digit_is_refused(demo: Flask) -> None:
    me = citizen_headers(demo, openid="m7", psn_no="DEMO0001")
    certno = PERSON["DEMO0002"].certno
    wrong = certno[:17] + ("0" if certno[17] != "0" else "1")
    response = post(demo, me, for_relative("DEMO0002", user_certno=wrong))
    assert response.status_code == 422
    assert_error_shape(response.get_json())
    assert "身份证号不正确" in response.get_json()["errors"]["user_certno"][0]


def test_authorise_and_unbind_land_in_the_audit_log(demo: Flask) -> None:
    me = citizen_headers(demo, openid="m8", psn_no="DEMO0001")
    binding = post(demo, me, for_relative("DEMO0003")).get_json()
    demo.test_client().delete(f"{URL}/{binding['id']}", headers=me)
    with demo.extensions["db"].session() as session:
        query = session.query(AuditEntry).filter(AuditEntry.action.like("mutual_aid.%"))
        entries = query.order_by(AuditEntry.id).all()
    assert [(e.action, e.record_id, e.on_behalf_of) for e in entries] == [
        ("mutual_aid.authorise", binding["id"], "DEMO0001"),
        ("mutual_aid.unbind", binding["id"], "DEMO0001"),
    ]


def test_a_reviewer_cannot_act_for_a_citizen(demo: Flask) -> None:
    binding = post(
        demo, citizen_headers(demo, openid="m9", psn_no="DEMO0001"), for_relative("DEMO0002")
    ).get_json()
    reviewer = staff_headers(demo, username="reviewer-aid", role=Role.REVIEWER)
    for response in (
        post(demo, reviewer, for_relative("DEMO0004", psn_no="DEMO0001")),
        demo.test_client().delete(f"{URL}/{binding['id']}", headers=reviewer),
    ):
        assert response.status_code == 403
        assert_error_shape(response.get_json())
        assert response.get_json()["code"] == "acting_not_allowed"


def test_concurrent_bindings_with_different_keys_make_one(committing_postgresql: Flask) -> None:
    app = committing_postgresql
    me = citizen_headers(app, openid="race-aid", psn_no="DEMO0001")
    answers = at_once(
        8,
        lambda i: app.test_client().post(
            URL, json=for_relative("DEMO0002"), headers={**me, "Idempotency-Key": f"aid-{i}"}
        ),
    )
    with app.extensions["db"].session() as session:
        assert session.query(MutualAidBinding).filter_by(status="active").count() == 1
    assert sorted(a.status_code for a in answers) == [201] + [422] * 7
