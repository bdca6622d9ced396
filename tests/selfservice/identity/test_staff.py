"""Staff accounts: login, lockout, logout, and each route's policy enforced."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.auth import Role
from app.db import Database
from app.selfservice.identity import service
from tests.conftest import assert_error_shape
from tests.factories import NOW, STAFF_PASSWORD, make_staff


def _login(app: Flask, username: str, password: str = STAFF_PASSWORD, ip: str = "10.0.0.1") -> Any:
    return app.test_client().post(
        "/api/v1/auth/staff/login",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_create_refuses_weak_passwords_and_duplicates(database: Database) -> None:
    with database.session() as session:
        with pytest.raises(service.WeakPassword):
            make_staff(session, password="short")
        make_staff(session, username="dup")
        with pytest.raises(service.UsernameTaken):
            make_staff(session, username="dup")


def test_login_gives_a_token_that_identifies_the_staff(db_app: Flask) -> None:
    with db_app.extensions["db"].session() as session:
        make_staff(session, username="reviewer01", role=Role.REVIEWER)
    response = _login(db_app, "reviewer01")
    assert response.status_code == 200
    body = response.get_json()
    assert body["staff"]["role"] == "reviewer"
    assert "password_hash" not in body["staff"]
    me = db_app.test_client().get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"}
    )
    assert me.get_json()["kind"] == "staff"


def test_wrong_password_and_unknown_user_look_the_same(db_app: Flask) -> None:
    with db_app.extensions["db"].session() as session:
        make_staff(session, username="clerk02")
    wrong = _login(db_app, "clerk02", "wrong-password-123", ip="10.0.0.2")
    unknown = _login(db_app, "nobody", "wrong-password-123", ip="10.0.0.3")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json()["message"] == unknown.get_json()["message"]


def test_repeated_failures_lock_the_account(db_app: Flask) -> None:
    with db_app.extensions["db"].session() as session:
        make_staff(session, username="clerk03")
    for attempt in range(service.MAX_FAILURES):
        assert (
            _login(db_app, "clerk03", f"guess-number-{attempt}", ip="10.0.0.4").status_code == 401
        )
    locked = _login(db_app, "clerk03", ip="10.0.0.5")  # even the right password, from elsewhere
    assert locked.status_code == 429
    assert_error_shape(locked.get_json())


def test_logout_revokes_the_token(db_app: Flask) -> None:
    with db_app.extensions["db"].session() as session:
        make_staff(session, username="clerk04")
    token = _login(db_app, "clerk04", ip="10.0.0.6").get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client = db_app.test_client()
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_staff_endpoints_refuse_missing_bad_and_wrong_role_tokens(db_app: Flask) -> None:
    with db_app.extensions["db"].session() as session:
        make_staff(session, username="clerk05", role=Role.CLERK)
        make_staff(session, username="reviewer05", role=Role.REVIEWER)
    client = db_app.test_client()
    assert client.get("/api/v1/bot/unanswered").status_code == 401
    bad = client.get("/api/v1/bot/unanswered", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    assert_error_shape(bad.get_json())
    clerk = _login(db_app, "clerk05", ip="10.0.0.7").get_json()["token"]
    forbidden = client.get("/api/v1/bot/unanswered", headers={"Authorization": f"Bearer {clerk}"})
    assert forbidden.status_code == 403
    reviewer = _login(db_app, "reviewer05", ip="10.0.0.8").get_json()["token"]
    allowed = client.get(
        "/api/v1/bot/unanswered?limit=5", headers={"Authorization": f"Bearer {reviewer}"}
    )
    assert allowed.status_code == 200


def test_audit_log_records_staff_logins(db_app: Flask) -> None:
    from app.audit import AuditEntry

    with db_app.extensions["db"].session() as session:
        account = make_staff(session, username="clerk06")
    _login(db_app, "clerk06", ip="10.0.0.9")
    with db_app.extensions["db"].session() as session:
        entry = session.query(AuditEntry).filter_by(actor_id=str(account.id)).one()
    assert entry.action == "staff.login"
    assert entry.request_id
    assert entry.created_at.year >= NOW.year


def test_staff_create_command(db_app: Flask) -> None:
    runner = db_app.test_cli_runner()
    created = runner.invoke(
        args=["staff", "create", "counter07", "--role", "reviewer", "--name", "七号窗口"],
        env={"STAFF_PASSWORD": "a-long-enough-password"},
    )
    assert created.exit_code == 0, created.output
    assert _login(db_app, "counter07", "a-long-enough-password", ip="10.0.0.20").status_code == 200
    weak = runner.invoke(
        args=["staff", "create", "counter08", "--name", "八号"], env={"STAFF_PASSWORD": "short"}
    )
    assert weak.exit_code != 0
    assert "密码至少" in weak.output
