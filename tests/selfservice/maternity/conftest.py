"""生育 claims run over the real knowledge base (the fixture base has no 生育 guides)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from stdnum import luhn

from app.auth import Role
from app.guides.loader import LiveKnowledgeBase
from app.selfservice.registry.demo import seed_people
from tests.conftest import REAL_KNOWLEDGE, assert_error_shape
from tests.factories import citizen_headers, staff_headers
from tests.selfservice.uploads.test_uploads import png

URL = "/api/v1/maternity/claims"
STAFF_URL = "/api/v1/staff/maternity/claims"
# DEMO0006: female 职工 with 生育保险 paid in 昆明; DEMO0001: male, ditto, his spouse DEMO0002 a
# 居民 (not employed); DEMO0007: male, 生育保险 paused (玉溪); DEMO0009: female, no 生育保险.
WOMAN, MAN, SPOUSE, PAUSED, UNINSURED = "DEMO0006", "DEMO0001", "DEMO0002", "DEMO0007", "DEMO0009"
CARD = "622202020011223344" + luhn.calc_check_digit("622202020011223344")


@pytest.fixture(scope="session")
def real_kb() -> LiveKnowledgeBase:
    return LiveKnowledgeBase(REAL_KNOWLEDGE)


@pytest.fixture
def demo(db_app: Flask, real_kb: LiveKnowledgeBase) -> Iterator[Flask]:
    saved = db_app.extensions["knowledge_base"]
    db_app.extensions["knowledge_base"] = real_kb
    with db_app.extensions["db"].session() as session:
        seed_people(session)
    try:
        yield db_app
    finally:
        db_app.extensions["knowledge_base"] = saved


class Calls:
    """The claim endpoints for one caller, asserting status and the error shape."""

    def __init__(self, app: Flask, headers: dict[str, str]) -> None:
        self.client, self.headers = app.test_client(), headers

    def _check(self, response: Any, expect: int) -> Any:
        assert response.status_code == expect, response.get_data(as_text=True)
        if expect >= 400:
            assert_error_shape(response.get_json())
        return response.get_json()

    def create(self, body: dict[str, Any], *, expect: int = 201, **headers: str) -> Any:
        response = self.client.post(URL, json=body, headers={**self.headers, **headers})
        return self._check(response, expect)

    def get(self, url: str, *, expect: int = 200) -> Any:
        return self._check(self.client.get(url, headers=self.headers), expect)

    def patch(self, claim_id: str, body: dict[str, Any], *, expect: int = 200) -> Any:
        response = self.client.patch(f"{URL}/{claim_id}", json=body, headers=self.headers)
        return self._check(response, expect)

    def upload(
        self, claim_id: str, name: str, content: bytes | None = None, *, expect: int = 201,
        filename: str = "photo.png", **headers: str,
    ) -> Any:  # fmt: skip
        response = self.client.post(
            f"{URL}/{claim_id}/materials",
            data={
                "file": (io.BytesIO(png() if content is None else content), filename),
                "name": name,
            },
            headers={**self.headers, **headers},
            content_type="multipart/form-data",
        )
        return self._check(response, expect)

    def delete(self, claim_id: str, material_id: str, *, expect: int = 200) -> Any:
        url = f"{URL}/{claim_id}/materials/{material_id}"
        return self._check(self.client.delete(url, headers=self.headers), expect)

    def submit(self, claim_id: str, *, expect: int = 200, **headers: str) -> Any:
        response = self.client.post(f"{URL}/{claim_id}/submit", headers={**self.headers, **headers})
        return self._check(response, expect)

    def step(self, claim_id: str, step: str, *, expect: int = 200, **body: Any) -> Any:
        response = self.client.post(
            f"{STAFF_URL}/{claim_id}/steps", json={"step": step, **body}, headers=self.headers
        )
        return self._check(response, expect)

    def uploads_for(self, claim: dict[str, Any]) -> list[str]:
        return [i["name"] for i in claim["checklist"] if i["need"] == "upload"]


def citizen(app: Flask, psn_no: str) -> Calls:
    return Calls(app, citizen_headers(app, openid=f"m-{psn_no}", psn_no=psn_no))


def reviewer(app: Flask, username: str = "reviewer01") -> Calls:
    return Calls(app, staff_headers(app, username=username, role=Role.REVIEWER))


BANK = {"bank_account_name": "钱演示", "bank_account_no": CARD, "bank_name": "示例银行昆明分行"}


def complete(calls: Calls, claim: dict[str, Any]) -> dict[str, Any]:
    """Upload one file for every upload item of the checklist; the claim after."""
    for name in calls.uploads_for(claim):
        claim = calls.upload(claim["id"], name)
    return claim
