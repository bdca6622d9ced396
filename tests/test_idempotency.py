"""Idempotency-Key: one execution per key, replays, conflicts, scoping, failing closed."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask, jsonify, request

from app import errors, logging
from app.auth import Principal, PrincipalKind, issue_token
from app.errors import DomainError, Kind
from app.idempotency import idempotent
from app.store import KeyValueStore, RedisStore


class Refused(DomainError):
    kind, code = Kind.INVALID, "test_refused"
    message = "测试用的拒绝。"


def make_app(store: KeyValueStore) -> tuple[Flask, list[Any]]:
    app = Flask(__name__)
    app.extensions["store"] = store
    logging.register(app)
    errors.register(app)
    created: list[Any] = []
    started, release = threading.Event(), threading.Event()
    app.extensions["gates"] = (started, release)

    @app.post("/things")
    @idempotent
    def create() -> Any:
        body = request.get_json()
        if body.get("refuse"):
            raise Refused
        if body.get("slow"):
            started.set()
            release.wait(5)
        created.append(body)
        return jsonify({"id": len(created), **body}), 201

    return app, created


def test_a_retry_replays_the_first_response_and_creates_nothing(store: KeyValueStore) -> None:
    app, created = make_app(store)
    client = app.test_client()
    headers = {"Idempotency-Key": "k-1"}
    first = client.post("/things", json={"name": "备案"}, headers=headers)
    again = client.post("/things", json={"name": "备案"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(created) == 1


def test_without_a_key_each_request_runs(store: KeyValueStore) -> None:
    app, created = make_app(store)
    client = app.test_client()
    client.post("/things", json={"name": "a"})
    client.post("/things", json={"name": "a"})
    assert len(created) == 2


def test_the_same_key_with_another_body_is_422(store: KeyValueStore) -> None:
    app, _ = make_app(store)
    client = app.test_client()
    client.post("/things", json={"name": "a"}, headers={"Idempotency-Key": "k-2"})
    other = client.post("/things", json={"name": "b"}, headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 422
    assert other.get_json()["code"] == "idempotency_key_reused"


def test_errors_are_replayed_too(store: KeyValueStore) -> None:
    app, created = make_app(store)
    client = app.test_client()
    for _ in range(2):
        refused = client.post("/things", json={"refuse": True}, headers={"Idempotency-Key": "k-3"})
        assert refused.status_code == 422
        assert refused.get_json()["code"] == "test_refused"
    assert created == []


def test_a_retry_while_the_first_runs_is_409(store: KeyValueStore) -> None:
    app, created = make_app(store)
    started, release = app.extensions["gates"]
    results: list[int] = []
    headers = {"Idempotency-Key": "k-4"}
    first = threading.Thread(
        target=lambda: results.append(
            app.test_client().post("/things", json={"slow": True}, headers=headers).status_code
        )
    )
    first.start()
    assert started.wait(5)
    second = app.test_client().post("/things", json={"slow": True}, headers=headers)
    release.set()
    first.join()
    assert second.status_code == 409
    assert results == [201]
    assert len(created) == 1


def test_keys_are_scoped_to_the_caller(store: KeyValueStore) -> None:
    app, created = make_app(store)
    client = app.test_client()
    tokens = [issue_token(store, Principal(PrincipalKind.CITIZEN, str(n))) for n in (1, 2)]
    for token in tokens:
        client.post(
            "/things",
            json={"name": "a"},
            headers={"Idempotency-Key": "shared", "Authorization": f"Bearer {token}"},
        )
    assert len(created) == 2


@pytest.mark.parametrize("key", ["", "空格 key", "x" * 256])
def test_malformed_keys_are_refused(store: KeyValueStore, key: str) -> None:
    app, created = make_app(store)
    response = app.test_client().post("/things", json={}, headers={"Idempotency-Key": key})
    assert response.status_code == 422
    assert created == []


def test_no_store_no_keyed_request() -> None:
    app, created = make_app(RedisStore("redis://127.0.0.1:1/0"))
    response = app.test_client().post("/things", json={}, headers={"Idempotency-Key": "k-5"})
    assert response.status_code == 503
    assert created == []
