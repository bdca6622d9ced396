"""No body a citizen can send to a self-service endpoint makes it answer 500 (property-based)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.db import upgrade
from app.selfservice.registry.demo import seed_people
from tests.conftest import REAL_KNOWLEDGE, assert_error_shape
from tests.factories import citizen_headers

ENDPOINTS = [
    "/api/v1/remote-care/filings",
    "/api/v1/mutual-aid/bindings",
    "/api/v1/maternity/claims",
    "/api/v1/certificates",
    "/api/v1/auth/bind",
    "/api/v1/auth/login",
]
# Field names the endpoints know, beside random ones, so that validation is passed now and then
# and the deeper rules are reached too.
FIELDS = [
    "kind", "insutype", "rloc_admdvs", "resout_addr", "tel", "begndate", "enddate", "pledge",
    "user_name", "user_certno", "type", "event_date", "bank_account_no", "psn_name", "certno",
    "channel", "openid", "code", "psn_no",
]  # fmt: skip
text = st.text(max_size=40)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    st.sampled_from(["remote.work", "310", "460100", "2026-12-31", "9999-12-31", "dev", "配偶"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
bodies = st.dictionaries(st.one_of(st.sampled_from(FIELDS), text), values, max_size=8)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, dict[str, str]]:
    """An app of its own (its records are thrown away) and a bound citizen's headers."""
    folder = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'fuzz.sqlite3'}"
    upgrade(url)
    app = create_app(
        {
            "KNOWLEDGE_DIR": str(REAL_KNOWLEDGE),
            "DATABASE_URL": url,
            "RATE_LIMITS_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
            "AUTH_DEV_LOGIN": True,
        }
    )
    with app.extensions["db"].session() as session:
        seed_people(session)
    return app, citizen_headers(app, openid="fuzz", psn_no="DEMO0001")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(endpoint=st.sampled_from(ENDPOINTS), body=st.one_of(bodies, values))
def test_no_body_produces_a_server_error(
    fuzzed: tuple[Flask, dict[str, str]], endpoint: str, body: Any
) -> None:
    app, headers = fuzzed
    response = app.test_client().post(endpoint, json=body, headers=headers)
    assert response.status_code < 500, (endpoint, body, response.get_data(as_text=True))
    if response.status_code >= 400:
        assert_error_shape(response.get_json())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(
        [
            "/api/v1/remote-care/filings/{}",
            "/api/v1/maternity/claims/{}",
            "/api/v1/certificates/{}.pdf",
            "/api/v1/certificates/verify/{}",
            "/api/v1/mutual-aid/bindings?role={}",
        ]
    ),
    part=text,
)
def test_no_id_produces_a_server_error(
    fuzzed: tuple[Flask, dict[str, str]], path: str, part: str
) -> None:
    app, headers = fuzzed
    response = app.test_client().get(path.format(quote(part, safe="")), headers=headers)
    assert response.status_code < 500, (path, part, response.get_data(as_text=True))
