"""Who is calling: opaque bearer tokens in the ephemeral store, and each route's auth policy.

A token is random (256 bits); the store keeps only its SHA-256, so a leaked store dump logs nobody
in. Every view declares its policy (`public`, `citizen_required`, `staff_required`); a test checks
that none is left undeclared. Token checks fail closed: no store, no access.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request

from app.errors import DomainError, Kind
from app.store import KeyValueStore, StoreUnavailable

TOKEN_TTL_SECONDS = 2 * 3600
_View = TypeVar("_View", bound=Callable[..., Any])


class Role(StrEnum):
    CLERK = "clerk"  # counter staff: act for a citizen (帮办代办)
    REVIEWER = "reviewer"  # review claims and curate the knowledge base
    ADMIN = "admin"


class PrincipalKind(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token stands for: a citizen's account or a staff account."""

    kind: PrincipalKind
    id: str
    role: Role | None = None


class NotLoggedIn(DomainError):
    kind, code = Kind.UNAUTHORISED, "not_logged_in"
    message = "请先登录（登录已过期时请重新登录）。"


class NotAllowed(DomainError):
    kind, code = Kind.FORBIDDEN, "not_allowed"
    message = "您没有权限进行此操作。"


class AuthUnavailable(DomainError):
    kind, code = Kind.UNAVAILABLE, "auth_unavailable"
    message = "登录服务暂时不可用，请稍后再试。"


def _token_key(token: str) -> str:
    return "auth:token:" + hashlib.sha256(token.encode()).hexdigest()


def issue_token(store: KeyValueStore, principal: Principal, *, ttl: int = TOKEN_TTL_SECONDS) -> str:
    """A new token for principal, valid for ttl seconds."""
    token = secrets.token_urlsafe(32)
    try:
        store.set(_token_key(token), json.dumps(asdict(principal)), ttl=ttl)
    except StoreUnavailable as error:
        raise AuthUnavailable from error
    return token


def resolve_token(store: KeyValueStore, token: str) -> Principal | None:
    """The principal a live token stands for, or None."""
    try:
        raw = store.get(_token_key(token))
    except StoreUnavailable as error:
        raise AuthUnavailable from error
    if raw is None:
        return None
    data = json.loads(raw)
    role = Role(data["role"]) if data.get("role") else None
    return Principal(PrincipalKind(data["kind"]), data["id"], role)


def revoke_token(store: KeyValueStore, token: str) -> None:
    try:
        store.delete(_token_key(token))
    except StoreUnavailable as error:
        raise AuthUnavailable from error


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_principal() -> Principal:
    """The caller of a view behind citizen_required or staff_required."""
    principal: Principal = g.principal
    return principal


def _authenticate() -> Principal:
    token = bearer_token()
    if token is None:
        raise NotLoggedIn
    principal = resolve_token(current_app.extensions["store"], token)
    if principal is None:
        raise NotLoggedIn
    g.principal = principal
    return principal


def public(view: _View) -> _View:
    """Anyone may call this view."""
    view._auth_policy = "public"  # type: ignore[attr-defined]
    return view


def citizen_required(view: _View) -> _View:
    """A logged-in citizen (or staff, acting for one where the view allows it)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _authenticate()
        return view(*args, **kwargs)

    wrapper._auth_policy = "citizen"  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def staff_required(*roles: Role) -> Callable[[_View], _View]:
    """Staff only; with roles, only those roles (admin always passes)."""

    def decorate(view: _View) -> _View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = _authenticate()
            allowed = set(roles) | {Role.ADMIN} if roles else set(Role)
            if principal.kind is not PrincipalKind.STAFF or principal.role not in allowed:
                raise NotAllowed
            return view(*args, **kwargs)

        wrapper._auth_policy = "staff"  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
