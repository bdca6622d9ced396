"""Accounts: staff (create, authenticate with lockout), citizens (sign in, real-name binding)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import Actor, record_audit
from app.auth import Role
from app.errors import DomainError, Kind
from app.id_numbers import is_valid_id_number
from app.selfservice.identity.models import CitizenAccount, StaffAccount
from app.selfservice.registry.service import InsuredRegistry, Person
from app.store import KeyValueStore, StoreUnavailable

MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


@cache
def _dummy_hash() -> str:
    """A hash to check against when the account does not exist, so both paths take as long;
    made on first use (scrypt costs ~0.1 s, which every worker's start-up would pay)."""
    return generate_password_hash("not-a-real-password")


class UsernameTaken(DomainError):
    kind, code = Kind.CONFLICT, "staff_username_taken"
    message = "该用户名已被使用。"


class WeakPassword(DomainError):
    kind, code = Kind.INVALID, "staff_password_weak"
    message = f"密码至少 {MIN_PASSWORD_LENGTH} 位。"


class InvalidCredentials(DomainError):
    kind, code = Kind.UNAUTHORISED, "staff_credentials_invalid"
    message = "用户名或密码不正确。"


class TooManyAttempts(DomainError):
    kind, code = Kind.TOO_MANY, "login_locked"
    message = "登录失败次数过多，请 15 分钟后再试。"


@dataclass(frozen=True, slots=True)
class NewStaff:
    username: str
    role: Role
    display_name: str


def create_staff(
    session: Session, *, username: str, password: str, role: Role, display_name: str, now: datetime
) -> StaffAccount:
    """A new staff account with a hashed password (scrypt)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword
    with session.begin():
        if session.scalar(sa.select(StaffAccount.id).where(StaffAccount.username == username)):
            raise UsernameTaken
        account = StaffAccount(
            username=username,
            password_hash=generate_password_hash(password),
            role=role.value,
            display_name=display_name,
            created_at=now,
        )
        session.add(account)
    return account


def _failure_keys(username: str, client_ip: str) -> tuple[str, str]:
    return f"auth:fail:staff:{username}", f"auth:fail:ip:{client_ip}"


def authenticate_staff(
    session: Session,
    store: KeyValueStore,
    *,
    username: str,
    password: str,
    client_ip: str,
    request_id: str,
    now: datetime,
) -> StaffAccount:
    """The account if the password is right; repeated failures lock the username and the IP."""
    keys = _failure_keys(username, client_ip)
    try:
        if any(int(store.get(key) or 0) >= MAX_FAILURES for key in keys):
            raise TooManyAttempts
    except StoreUnavailable:
        raise TooManyAttempts from None  # fail closed: no lockout counter, no password guessing
    with session.begin():
        account = session.scalar(sa.select(StaffAccount).where(StaffAccount.username == username))
        valid = check_password_hash(account.password_hash if account else _dummy_hash(), password)
        if account is None or not valid or not account.active:
            for key in keys:
                store.incr(key, ttl=LOCKOUT_SECONDS)
            raise InvalidCredentials
        record_audit(
            session,
            Actor("staff", str(account.id), "counter", request_id),
            action="staff.login",
            now=now,
        )
    return account


class InvalidIdNumber(DomainError):
    kind, code = Kind.INVALID, "certno_invalid"
    message = "身份证号码不正确，请核对（18 位，末位可能是 X）。"


class BindingMismatch(DomainError):
    kind, code = Kind.INVALID, "binding_mismatch"
    message = "姓名与身份证号不匹配，或该证件没有参保记录。请核对后重试。"


class BindingLocked(DomainError):
    kind, code = Kind.TOO_MANY, "binding_locked"
    message = "实名认证尝试次数过多，请 1 小时后再试，或到医保窗口办理。"


class NotBound(DomainError):
    kind, code = Kind.FORBIDDEN, "not_bound"
    message = "请先完成实名认证（绑定本人身份证）。"


MAX_BIND_FAILURES = 5
BIND_LOCK_SECONDS = 3600


def sign_in_citizen(
    session: Session,
    *,
    channel: str,
    openid: str,
    unionid: str | None,
    now: datetime,
    request_id: str = "",
) -> CitizenAccount:
    """The citizen account for this channel's openid, created (and audited) on first sign-in."""
    with session.begin():
        account = session.scalar(
            sa.select(CitizenAccount).where(
                CitizenAccount.channel == channel, CitizenAccount.openid == openid
            )
        )
        if account is None:
            account = CitizenAccount(
                channel=channel, openid=openid, unionid=unionid, created_at=now
            )
            session.add(account)
            session.flush()
            record_audit(
                session, Actor("citizen", str(account.id), channel, request_id),
                action="citizen.sign_up", now=now, record_type="citizen_account",
                record_id=str(account.id),
            )  # fmt: skip
        elif unionid and not account.unionid:
            account.unionid = unionid
    return account


def _bind_failure_key(account_id: int) -> str:
    return f"auth:bind-fail:{account_id}"


def bind_person(
    session: Session,
    store: KeyValueStore,
    registry: InsuredRegistry,
    *,
    account_id: int,
    psn_name: str,
    certno: str,
    request_id: str,
    now: datetime,
) -> Person:
    """Real-name binding: the ID's checksum, then name and ID must match the registry together.

    A refusal never says which half was wrong; failures are counted and lock binding for an hour.
    """
    certno = certno.strip().upper()
    if not is_valid_id_number(certno):
        raise InvalidIdNumber(errors={"certno": [InvalidIdNumber.message]})
    key = _bind_failure_key(account_id)
    try:
        if int(store.get(key) or 0) >= MAX_BIND_FAILURES:
            raise BindingLocked
    except StoreUnavailable:
        raise BindingLocked from None  # fail closed: no counter, no guessing
    with session.begin():
        person = registry.find_by_certno(certno)
        if person is None or person.psn_name != psn_name.strip():
            store.incr(key, ttl=BIND_LOCK_SECONDS)
            raise BindingMismatch
        account = session.get(CitizenAccount, account_id)
        if account is None:
            raise BindingMismatch
        account.psn_no, account.bound_at = person.psn_no, now
        record_audit(
            session,
            Actor("citizen", str(account_id), account.channel, request_id),
            action="citizen.bind",
            now=now,
            on_behalf_of=person.psn_no,
            record_type="citizen_account",
            record_id=str(account_id),
        )
    return person


def bound_psn_no(session: Session, account_id: int) -> str:
    """The insured person a citizen account is bound to; NotBound if none."""
    with session.begin():
        account = session.get(CitizenAccount, account_id)
    if account is None or account.psn_no is None:
        raise NotBound
    return account.psn_no
