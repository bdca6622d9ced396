"""Rate limits (flask-limiter): per caller and per client address, Redis-backed in production.

`memory://` would count per worker (gunicorn multiplies the limit), so REDIS_URL is used whenever
it is set. Behind a proxy, TRUSTED_PROXY_HOPS must be the exact hop count, or X-Forwarded-For
could be spoofed to dodge the per-address limit. A breach is a 429 in the one error shape.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, request
from flask_limiter import Limit, Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from app.auth import AuthUnavailable, bearer_token, resolve_token


def client_address() -> str:
    return request.remote_addr or "unknown"


def caller() -> str:
    """Who is counted: the account a live token stands for (so signing in again does not reset
    the count), else the token itself (hashed; the store is down or the token dead), else the
    client's address."""
    token = bearer_token()
    if token is None:
        return f"ip:{client_address()}"
    try:
        principal = resolve_token(current_app.extensions["store"], token)
    except AuthUnavailable:
        principal = None  # rate counters fail open; the view itself will refuse the token
    if principal is not None:
        return f"{principal.kind.value}:{principal.id}"
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def _per_caller() -> str:
    return str(current_app.config["RATE_LIMIT_PER_CALLER"])


def _per_address() -> str:
    return str(current_app.config["RATE_LIMIT_PER_ADDRESS"])


def _sign_in() -> str:
    return str(current_app.config["RATE_LIMIT_SIGN_IN"])


limiter = Limiter(
    key_func=caller,
    default_limits=[
        Limit(_per_caller, key_function=caller),
        Limit(_per_address, key_function=client_address, scope="address", shared=True),
    ],
    headers_enabled=True,
    swallow_errors=True,  # a dead limit store must not take the service down: fail open
)
# Login and binding guess secrets: a tighter limit per address, on top of the defaults.
sign_in_limit = limiter.shared_limit(
    _sign_in, scope="sign-in", key_func=client_address, override_defaults=False
)


def init_app(app: Flask) -> None:
    hops = int(app.config["TRUSTED_PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    redis_url = app.config["REDIS_URL"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", app.config["RATE_LIMITS_ENABLED"])
    limiter.init_app(app)
