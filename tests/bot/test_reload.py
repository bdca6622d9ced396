"""Reloading while serving: valid bases swap in, broken ones are refused, workers follow."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from flask import Flask

from app import create_app, create_serving_app
from app.auth import Principal, PrincipalKind, Role, issue_token
from app.reload import ReloadFollower, announce_reload, reload_knowledge
from app.store import MemoryStore

RETIREE = "guides/530000/remote.retiree.yaml"


@pytest.fixture
def live(knowledge_copy: Path, sqlite_url: str) -> Flask:
    app = create_app({"KNOWLEDGE_DIR": str(knowledge_copy), "DATABASE_URL": sqlite_url})
    app.extensions["store"] = MemoryStore()
    return app


def _reviewer(app: Flask) -> dict[str, str]:
    token = issue_token(app.extensions["store"], Principal(PrincipalKind.STAFF, "1", Role.REVIEWER))
    return {"Authorization": f"Bearer {token}"}


def _summary(app: Flask) -> str:
    guide = app.test_client().get("/api/v1/regions/530000/services/remote.retiree").get_json()
    return str(guide["guide"]["summary"])


def test_reload_swaps_in_a_valid_base(live: Flask, knowledge_copy: Path) -> None:
    path = knowledge_copy / RETIREE
    path.write_text(
        path.read_text(encoding="utf-8").replace("退休后到外地定居", "退休后到外地长住"),
        encoding="utf-8",
    )
    assert "外地定居" in _summary(live)
    response = live.test_client().post("/api/v1/bot/reload", headers=_reviewer(live))
    assert response.status_code == 200
    assert "外地长住" in _summary(live)


def test_a_broken_base_is_refused_and_the_old_one_serves(live: Flask, knowledge_copy: Path) -> None:
    before = _summary(live)
    (knowledge_copy / RETIREE).write_text("service: [\n", encoding="utf-8")
    response = live.test_client().post("/api/v1/bot/reload", headers=_reviewer(live))
    assert response.status_code == 422
    assert response.get_json()["code"] == "knowledge_base_rejected"
    assert _summary(live) == before


def test_other_workers_follow_an_announced_reload(live: Flask, knowledge_copy: Path) -> None:
    follower = ReloadFollower(live)
    old = live.extensions["knowledge_base"].current
    announce_reload(live.extensions["store"])
    follower.checked = 0.0  # as if the check interval had passed
    follower.check()
    deadline = time.monotonic() + 20
    while live.extensions["knowledge_base"].current is old and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.extensions["knowledge_base"].current is not old


def test_a_serving_process_freezes_the_reloaded_base_like_the_first(
    knowledge_copy: Path, sqlite_url: str
) -> None:
    # Frozen objects are left out of every collection, and out of gc.get_objects().
    app = create_serving_app({"KNOWLEDGE_DIR": str(knowledge_copy), "DATABASE_URL": sqlite_url})
    try:
        path = knowledge_copy / RETIREE
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        reload_knowledge(app)
        fresh = app.extensions["assistant"].current
        assert gc.get_freeze_count() > 0
        assert not any(o is fresh for o in gc.get_objects())
    finally:
        gc.unfreeze()
