"""`Idempotency-Key` on creating POSTs (IETF httpapi-idempotency-key draft).

The first request with a key runs; its response, errors included, is kept for a day and replayed
to any retry with the same key and body. A retry while the first still runs gets 409; the same key
with another body gets 422. Keys are scoped to the caller. This layer fails closed: without the
store a keyed request gets 503, never a second record. The records themselves also keep the key
under a unique constraint, so a crash between committing and caching the response cannot lead a
retry to create a second record either.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, jsonify, make_response, request

from app.auth import bearer_token, resolve_token
from app.errors import DomainError, Kind, error_payload
from app.store import KeyValueStore, StoreUnavailable

HEADER = "Idempotency-Key"
KEY_FORMAT = re.compile(r"^[\x21-\x7e]{1,255}$")
DONE_TTL_SECONDS = 24 * 3600
RUNNING_TTL_SECONDS = 60  # a crashed request frees its key after this
_View = TypeVar("_View", bound=Callable[..., Any])


class KeyInvalid(DomainError):
    kind, code = Kind.INVALID, "idempotency_key_invalid"
    message = "Idempotency-Key 应为 1 到 255 个可见 ASCII 字符。"


class KeyReused(DomainError):
    kind, code = Kind.INVALID, "idempotency_key_reused"
    message = "这个 Idempotency-Key 已用于另一份不同的请求，请为新请求换一个。"


class RequestInProgress(DomainError):
    kind, code = Kind.CONFLICT, "idempotency_in_progress"
    message = "同一请求正在处理中，请稍候再查看结果，不要重复提交。"


class IdempotencyUnavailable(DomainError):
    kind, code = Kind.UNAVAILABLE, "idempotency_unavailable"
    message = "暂时无法确认是否重复提交，为免重复办理，请稍后再试。"


def idempotency_key() -> str | None:
    """The request's key, validated; None when the client sent none."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_FORMAT.match(key):
        raise KeyInvalid
    return key


def _fingerprint() -> str:
    digest = hashlib.sha256(request.method.encode() + request.path.encode())
    if request.mimetype != "multipart/form-data":
        digest.update(request.get_data())
        return digest.hexdigest()
    # A retried upload comes with a new multipart boundary: compare the fields and files instead.
    for name, value in sorted(request.form.items(multi=True)):
        digest.update(f"{name}={value}\0".encode())
    for name, sent in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        digest.update(f"{name}:{sent.filename}\0".encode())
        digest.update(hashlib.sha256(sent.stream.read()).digest())
        sent.stream.seek(0)
    return digest.hexdigest()


def _scope(store: KeyValueStore) -> str:
    """Whose key this is: the logged-in caller, else the client address. Never shared."""
    token = bearer_token()
    principal = resolve_token(store, token) if token else None
    if principal is not None:
        return f"{principal.kind.value}:{principal.id}"
    return f"ip:{request.remote_addr}"


def _error_response(error: DomainError) -> Response:
    response = jsonify(
        error_payload(error.code, error.text, errors=error.errors, suggestions=error.suggestions)
    )
    response.status_code = error.kind.value
    return response


def _replay(stored: dict[str, Any], fingerprint: str) -> Response:
    if stored["state"] == "running":
        raise RequestInProgress
    if stored["fingerprint"] != fingerprint:
        raise KeyReused
    response = Response(stored["body"], status=stored["status"], mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _run_once(store: KeyValueStore, slot: str, view: Callable[[], Response]) -> Response:
    fingerprint = _fingerprint()
    running = json.dumps({"state": "running", "fingerprint": fingerprint})
    if not store.setnx(slot, running, ttl=RUNNING_TTL_SECONDS):
        raw = store.get(slot)
        if raw is not None:
            return _replay(json.loads(raw), fingerprint)
        if not store.setnx(slot, running, ttl=RUNNING_TTL_SECONDS):
            raise RequestInProgress
    try:
        response = view()
    except DomainError as error:
        response = _error_response(error)
    except Exception:
        store.delete(slot)  # a bug, not an answer: let a retry run again
        raise
    if response.status_code >= 500:
        store.delete(slot)
        return response
    done = {
        "state": "done",
        "fingerprint": fingerprint,
        "status": response.status_code,
        "body": response.get_data(as_text=True),
    }
    store.set(slot, json.dumps(done, ensure_ascii=False), ttl=DONE_TTL_SECONDS)
    return response


def idempotent(view: _View) -> _View:
    """Make a creating POST safe to retry; place it above the smorest decorators."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = idempotency_key()
        if key is None:
            return view(*args, **kwargs)
        store: KeyValueStore = current_app.extensions["store"]
        try:
            slot = f"idem:{_scope(store)}:{request.method}:{request.path}:{key}"
            return _run_once(store, slot, lambda: make_response(view(*args, **kwargs)))
        except StoreUnavailable as error:
            raise IdempotencyUnavailable from error

    return wrapper  # type: ignore[return-value]
