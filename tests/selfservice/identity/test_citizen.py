"""Citizen login (WeChat against a local fake server, dev login) and real-name binding."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from flask import Flask

from app.selfservice.identity import providers
from app.selfservice.registry.demo import PEOPLE, seed_people
from tests.conftest import assert_error_shape
from tests.fakes import QuietHandler, local_server

# code → what the fake jscode2session answers (a list: one answer per call)
ANSWERS: dict[str, list[dict[str, Any]]] = {}


class FakeWechat(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server names it)
        query = parse_qs(urlparse(self.path).query)
        answers = ANSWERS.get(query["js_code"][0], [{"errcode": 40029, "errmsg": "invalid code"}])
        self.answer(200, json.dumps(answers.pop(0) if len(answers) > 1 else answers[0]).encode())


@pytest.fixture(scope="module")
def wechat_base() -> Iterator[str]:
    with local_server(FakeWechat) as base:
        yield base


@pytest.fixture
def citizen_app(db_app: Flask, wechat_base: str) -> Iterator[Flask]:
    saved = {k: db_app.config[k] for k in ("WECHAT_API_BASE", "AUTH_DEV_LOGIN")}
    db_app.config.update(WECHAT_API_BASE=wechat_base, AUTH_DEV_LOGIN=True)
    with db_app.extensions["db"].session() as session:
        seed_people(session)
    yield db_app
    db_app.config.update(saved)


def _login(app: Flask, **body: str) -> Any:
    return app.test_client().post("/api/v1/auth/login", json=body)


def test_wechat_code_gives_a_token_and_the_same_openid_the_same_account(
    citizen_app: Flask,
) -> None:
    ANSWERS["good"] = [{"openid": "oWX-demo-1", "session_key": "secret"}]
    first = _login(citizen_app, channel="wechat", code="good")
    assert first.status_code == 200
    body = first.get_json()
    assert body["bound"] is False
    assert "session_key" not in json.dumps(body)
    second = _login(citizen_app, channel="wechat", code="good").get_json()
    me = citizen_app.test_client().get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {second['token']}"}
    )
    first_me = citizen_app.test_client().get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"}
    )
    assert me.get_json()["id"] == first_me.get_json()["id"]


@pytest.mark.parametrize(
    ("answers", "status"),
    [
        ([{"errcode": 40029, "errmsg": "invalid code"}], 401),
        ([{"errcode": 40163, "errmsg": "code been used"}], 401),
        ([{"errcode": 45011, "errmsg": "api minute-quota reach limit"}], 429),
        ([{"errcode": -1, "errmsg": "system busy"}], 503),
    ],
)
def test_wechat_errors_map_to_clear_answers(
    citizen_app: Flask, answers: list[dict[str, Any]], status: int
) -> None:
    ANSWERS["bad"] = answers
    response = _login(citizen_app, channel="wechat", code="bad")
    assert response.status_code == status
    assert_error_shape(response.get_json())


def test_busy_wechat_is_retried(wechat_base: str) -> None:
    ANSWERS["busy-then-ok"] = [{"errcode": -1}, {"openid": "oWX-demo-2"}]
    found = providers.exchange_wechat_code(
        "busy-then-ok", base_url=wechat_base, appid="a", secret="s"
    )
    assert found.openid == "oWX-demo-2"


def test_wechat_unreachable_is_503() -> None:
    with pytest.raises(providers.LoginUnavailable):
        providers.exchange_wechat_code("x", base_url="http://127.0.0.1:1", appid="a", secret="s")


def test_dev_login_only_when_enabled(citizen_app: Flask) -> None:
    assert _login(citizen_app, channel="dev", openid="dev-user-1").status_code == 200
    citizen_app.config["AUTH_DEV_LOGIN"] = False
    refused = _login(citizen_app, channel="dev", openid="dev-user-1")
    assert refused.status_code == 403
    assert_error_shape(refused.get_json())


def _token(app: Flask, openid: str) -> dict[str, str]:
    token = _login(app, channel="dev", openid=openid).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_binding_with_the_right_name_and_id(citizen_app: Flask) -> None:
    person = PEOPLE[0]
    headers = _token(citizen_app, "dev-bind-1")
    response = citizen_app.test_client().post(
        "/api/v1/auth/bind",
        json={"psn_name": person.psn_name, "certno": person.certno.lower()},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["psn_no"] == person.psn_no
    assert "********" in body["certno"]
    again = _login(citizen_app, channel="dev", openid="dev-bind-1").get_json()
    assert again["bound"] is True


def test_binding_refusals_do_not_say_which_half_was_wrong(citizen_app: Flask) -> None:
    person, other = PEOPLE[0], PEOPLE[1]
    headers = _token(citizen_app, "dev-bind-2")
    client = citizen_app.test_client()
    wrong_name = client.post(
        "/api/v1/auth/bind",
        json={"psn_name": other.psn_name, "certno": person.certno},
        headers=headers,
    )
    unknown = client.post(
        "/api/v1/auth/bind",
        json={"psn_name": person.psn_name, "certno": "11010120000101123X"},
        headers=headers,
    )
    assert wrong_name.status_code == 422
    assert wrong_name.get_json()["code"] == "binding_mismatch"
    assert unknown.get_json()["code"] in {"binding_mismatch", "certno_invalid"}


def test_bad_checksum_is_named_and_repeated_failures_lock(citizen_app: Flask) -> None:
    headers = _token(citizen_app, "dev-bind-3")
    client = citizen_app.test_client()
    person = PEOPLE[0]
    broken = person.certno[:-1] + ("0" if person.certno[-1] != "0" else "1")
    bad = client.post(
        "/api/v1/auth/bind", json={"psn_name": person.psn_name, "certno": broken}, headers=headers
    )
    assert bad.get_json()["code"] == "certno_invalid"
    assert "certno" in bad.get_json()["errors"]
    for _ in range(5):
        client.post(
            "/api/v1/auth/bind", json={"psn_name": "某人", "certno": person.certno}, headers=headers
        )
    locked = client.post(
        "/api/v1/auth/bind",
        json={"psn_name": person.psn_name, "certno": person.certno},
        headers=headers,
    )
    assert locked.status_code == 429


def test_binding_needs_a_login(citizen_app: Flask) -> None:
    response = citizen_app.test_client().post(
        "/api/v1/auth/bind", json={"psn_name": "x", "certno": PEOPLE[0].certno}
    )
    assert response.status_code == 401
