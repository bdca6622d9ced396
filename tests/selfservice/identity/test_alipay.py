"""Alipay login against a fake gateway that checks our RSA2 signature and signs its answers."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from flask import Flask

from app.selfservice.identity import providers
from tests.conftest import assert_error_shape
from tests.fakes import QuietHandler, local_server

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _keypair() -> tuple[rsa.RSAPrivateKey, str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return key, private, public


APP_KEY, APP_PRIVATE, APP_PUBLIC = _keypair()
ALIPAY_KEY, ALIPAY_PRIVATE, ALIPAY_PUBLIC = _keypair()
FORGER_KEY, _, _ = _keypair()
SIGNER = {"key": ALIPAY_KEY}


def _sign(text: str, key: rsa.RSAPrivateKey) -> str:
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


class FakeGateway(QuietHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server names it)
        form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        content = "&".join(f"{k}={v}" for k, v in sorted(form.items()) if k != "sign" and v)
        try:
            APP_KEY.public_key().verify(
                base64.b64decode(form["sign"]),
                content.encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
            signed_by_app = True
        except Exception:
            signed_by_app = False
        if not signed_by_app:
            node_name, node = (
                "error_response",
                {"code": "40002", "sub_code": "isv.invalid-signature"},
            )
        elif form["code"] == "good":
            node_name, node = (
                "alipay_system_oauth_token_response",
                {
                    "user_id": "2088000000000001",
                    "open_id": "074a-demo",
                    "access_token": "t",
                },
            )
        else:
            node_name, node = "error_response", {"code": "40002", "sub_code": "isv.code-invalid"}
        node_text = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
        body = f'{{"{node_name}":{node_text},"sign":"{_sign(node_text, SIGNER["key"])}"}}'
        self.answer(200, body.encode(), "application/json;charset=utf-8")


@pytest.fixture(scope="module")
def gateway() -> Iterator[str]:
    with local_server(FakeGateway) as base:
        yield f"{base}/gateway.do"


KEYS = providers.AlipayKeys("2021000000000000", APP_PRIVATE, ALIPAY_PUBLIC)


def test_a_signed_exchange_gives_both_ids(gateway: str) -> None:
    found = providers.exchange_alipay_code("good", gateway=gateway, keys=KEYS, now=NOW)
    assert found == providers.ProviderIdentity("074a-demo", "2088000000000001")


def test_an_invalid_code_is_the_callers(gateway: str) -> None:
    with pytest.raises(providers.LoginCodeInvalid):
        providers.exchange_alipay_code("stale", gateway=gateway, keys=KEYS, now=NOW)


def test_an_answer_not_signed_by_alipay_is_not_trusted(gateway: str) -> None:
    SIGNER["key"] = FORGER_KEY
    try:
        with pytest.raises(providers.LoginUnavailable):
            providers.exchange_alipay_code("good", gateway=gateway, keys=KEYS, now=NOW)
    finally:
        SIGNER["key"] = ALIPAY_KEY


def test_a_request_signed_with_the_wrong_key_is_refused(gateway: str) -> None:
    _, other_private, _ = _keypair()
    wrong = providers.AlipayKeys(KEYS.app_id, other_private, ALIPAY_PUBLIC)
    with pytest.raises(providers.LoginUnavailable):
        providers.exchange_alipay_code("good", gateway=gateway, keys=wrong, now=NOW)


def _login(app: Flask, **settings: str) -> Any:
    """POST an Alipay login with these settings in place of the app's, restored afterwards."""
    saved = {key: app.config[key] for key in settings}
    app.config.update(settings)
    try:
        return app.test_client().post(
            "/api/v1/auth/login", json={"channel": "alipay", "code": "good"}
        )
    finally:
        app.config.update(saved)


def test_login_through_the_api(db_app: Flask, gateway: str) -> None:
    response = _login(
        db_app,
        ALIPAY_GATEWAY=gateway,
        ALIPAY_APP_ID=KEYS.app_id,
        ALIPAY_PRIVATE_KEY=APP_PRIVATE,
        ALIPAY_PUBLIC_KEY=ALIPAY_PUBLIC,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["bound"] is False


@pytest.mark.parametrize(
    ("private", "public"), [("", ""), ("not a key", ALIPAY_PUBLIC), (APP_PRIVATE, "not a key")]
)
def test_a_server_without_alipay_keys_answers_a_clean_503(
    db_app: Flask, gateway: str, private: str, public: str
) -> None:
    response = _login(
        db_app, ALIPAY_GATEWAY=gateway, ALIPAY_PRIVATE_KEY=private, ALIPAY_PUBLIC_KEY=public
    )
    assert response.status_code == 503, response.get_json()
    assert_error_shape(response.get_json())
    assert response.get_json()["code"] == "login_unavailable"
