"""Test data, one way: keyword-only factories with minimal defaults. People are synthetic."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy.orm import Session

from app.auth import Principal, PrincipalKind, Role, issue_token
from app.selfservice.identity import service as identity
from app.selfservice.identity.models import CitizenAccount, StaffAccount
from app.store import KeyValueStore

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
STAFF_PASSWORD = "correct-horse-battery"


def make_staff(
    session: Session,
    *,
    username: str = "clerk01",
    role: Role = Role.CLERK,
    password: str = STAFF_PASSWORD,
) -> StaffAccount:
    return identity.create_staff(
        session, username=username, password=password, role=role, display_name="测试经办员", now=NOW
    )


def make_citizen(session: Session, *, openid: str, psn_no: str | None = None) -> CitizenAccount:
    """A mini-program account, bound to psn_no when given."""
    account = identity.sign_in_citizen(session, channel="dev", openid=openid, unionid=None, now=NOW)
    if psn_no is not None:
        with session.begin():
            bound = session.get(CitizenAccount, account.id)
            assert bound is not None
            bound.psn_no, bound.bound_at = psn_no, NOW
    return account


def bearer(store: KeyValueStore, principal: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(store, principal)}"}


def citizen_headers(app: Flask, *, openid: str, psn_no: str | None) -> dict[str, str]:
    with app.extensions["db"].session() as session:
        account = make_citizen(session, openid=openid, psn_no=psn_no)
    return bearer(app.extensions["store"], Principal(PrincipalKind.CITIZEN, str(account.id)))


def staff_headers(app: Flask, *, username: str, role: Role = Role.CLERK) -> dict[str, str]:
    with app.extensions["db"].session() as session:
        account = make_staff(session, username=username, role=role)
    principal = Principal(PrincipalKind.STAFF, str(account.id), role)
    return bearer(app.extensions["store"], principal)
