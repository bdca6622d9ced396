"""Rate limits: per caller, per address, tighter on sign-in; a breach is a Chinese 429."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from tests.conftest import assert_error_shape


@pytest.fixture
def limited(fixture_knowledge: Path, sqlite_url: str) -> Flask:
    return create_app(
        {
            "KNOWLEDGE_DIR": str(fixture_knowledge),
            "DATABASE_URL": sqlite_url,
            "RATE_LIMIT_PER_CALLER": "3 per minute",
            "RATE_LIMIT_PER_ADDRESS": "5 per minute",
            "RATE_LIMIT_SIGN_IN": "2 per minute",
        }
    )


def test_a_caller_over_the_limit_gets_a_chinese_429(limited: Flask) -> None:
    client = limited.test_client()
    statuses = [client.get("/api/v1/regions").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    breach = client.get("/api/v1/regions")
    assert_error_shape(breach.get_json())
    assert breach.get_json()["code"] == "rate_limited"
    assert breach.headers["Retry-After"]


def test_each_address_has_its_own_count(limited: Flask) -> None:
    client = limited.test_client()
    for _ in range(3):
        client.get("/api/v1/regions", environ_base={"REMOTE_ADDR": "10.1.1.1"})
    other = client.get("/api/v1/regions", environ_base={"REMOTE_ADDR": "10.1.1.2"})
    assert other.status_code == 200


def test_sign_in_is_limited_tighter(limited: Flask) -> None:
    client = limited.test_client()
    body = {"username": "nobody", "password": "wrong-password"}
    statuses = [
        client.post(
            "/api/v1/auth/staff/login", json=body, environ_base={"REMOTE_ADDR": "10.2.2.2"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429


def test_signing_in_again_does_not_reset_a_callers_count(limited: Flask) -> None:
    from app.auth import Principal, PrincipalKind, issue_token

    store = limited.extensions["store"]
    principal = Principal(PrincipalKind.CITIZEN, "4242")
    client = limited.test_client()
    statuses = []
    for address in ("10.3.3.1", "10.3.3.2"):  # a fresh token (and address) after the third call
        token = issue_token(store, principal)
        for _ in range(2):
            response = client.get(
                "/api/v1/regions",
                headers={"Authorization": f"Bearer {token}"},
                environ_base={"REMOTE_ADDR": address},
            )
            statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]
