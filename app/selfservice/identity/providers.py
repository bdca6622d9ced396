"""Mini-program login providers: a one-time code from the app becomes a stable user id.

WeChat: wx.login() code → jscode2session → openid (and unionid when bound). The code lives five
minutes and works once: errcode 40029 / 40163 are the caller's, 45011 WeChat's rate limit, -1
busy (worth another try). The session_key never leaves this server.
Alipay: my.getAuthCode code → alipay.system.oauth.token, RSA2-signed both ways → user_id and
open_id; both are kept (SDK upgrades have switched between them).
An id proves nothing about who the person is: real-name binding is separate.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from app.errors import DomainError, Kind

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = (2.0, 4.0)  # connect, read
BUSY_RETRIES = 2


class LoginCodeInvalid(DomainError):
    kind, code = Kind.UNAUTHORISED, "login_code_invalid"
    message = "登录凭证无效或已使用，请重新打开小程序再试。"


class LoginRateLimited(DomainError):
    kind, code = Kind.TOO_MANY, "login_rate_limited"
    message = "登录人数过多，请稍后再试。"


class LoginUnavailable(DomainError):
    kind, code = Kind.UNAVAILABLE, "login_unavailable"
    message = "登录服务暂时不可用，请稍后再试。"


@dataclass(frozen=True, slots=True)
class ProviderIdentity:
    """The provider's id for the user in our app, and its cross-app id where it gives one."""

    openid: str
    unionid: str | None


def exchange_wechat_code(code: str, *, base_url: str, appid: str, secret: str) -> ProviderIdentity:
    """The openid behind a wx.login() code; raises one of the errors above."""
    params = {"appid": appid, "secret": secret, "js_code": code, "grant_type": "authorization_code"}
    for attempt in range(BUSY_RETRIES + 1):
        try:
            response = requests.get(
                f"{base_url}/sns/jscode2session", params=params, timeout=TIMEOUT_SECONDS
            )
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            raise LoginUnavailable from error
        errcode = body.get("errcode", 0)
        if errcode == 0 and body.get("openid"):
            return ProviderIdentity(str(body["openid"]), body.get("unionid"))
        if errcode in {40029, 40163}:
            raise LoginCodeInvalid
        if errcode == 45011:
            raise LoginRateLimited
        if errcode != -1 or attempt == BUSY_RETRIES:
            raise LoginUnavailable
        time.sleep(0.2 * 2**attempt)  # -1: WeChat is busy; back off and try again
    raise LoginUnavailable


ALIPAY_METHOD = "alipay.system.oauth.token"
_ALIPAY_NODE = re.compile(
    r'"alipay_system_oauth_token_response"\s*:\s*(\{.*?\})\s*,\s*"sign"', re.S
)
_ALIPAY_ERROR = re.compile(r'"error_response"\s*:\s*(\{.*?\})\s*,\s*"sign"', re.S)


@dataclass(frozen=True, slots=True)
class AlipayKeys:
    app_id: str
    private_key_pem: str  # our app's key: signs requests
    alipay_public_key_pem: str  # Alipay's key: verifies answers


def alipay_signature(params: dict[str, str], private_key_pem: str) -> str:
    """RSA2: SHA256withRSA over the non-empty parameters, sorted, joined as k=v&k=v."""
    content = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if v and k != "sign")
    try:
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        log.error("ALIPAY_PRIVATE_KEY is missing or not a PEM private key")
        raise LoginUnavailable from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise LoginUnavailable
    signature = key.sign(content.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def _verified_node(raw: str, signature: str, public_key_pem: str) -> dict[str, Any] | None:
    """The answer node whose exact text Alipay signed, or None for an error answer."""
    found = _ALIPAY_NODE.search(raw)
    node_text = found.group(1) if found else None
    if node_text is None:
        error = _ALIPAY_ERROR.search(raw)
        sub_code = json.loads(error.group(1)).get("sub_code", "") if error else ""
        if sub_code in {"isv.code-invalid", "isv.code-expired", "isv.auth-code-invalid"}:
            raise LoginCodeInvalid
        raise LoginUnavailable
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
    except (ValueError, UnsupportedAlgorithm) as error:
        log.error("ALIPAY_PUBLIC_KEY is missing or not a PEM public key")
        raise LoginUnavailable from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise LoginUnavailable
    try:
        key.verify(
            base64.b64decode(signature), node_text.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError) as error:
        raise LoginUnavailable from error  # not from Alipay: never trust its user id
    node: dict[str, Any] = json.loads(node_text)
    return node


def exchange_alipay_code(
    code: str, *, gateway: str, keys: AlipayKeys, now: datetime
) -> ProviderIdentity:
    """user_id / open_id behind a my.getAuthCode code; raises one of the login errors."""
    params = {
        "app_id": keys.app_id,
        "method": ALIPAY_METHOD,
        "charset": "utf-8",
        "sign_type": "RSA2",
        "timestamp": f"{now:%Y-%m-%d %H:%M:%S}",
        "version": "1.0",
        "grant_type": "authorization_code",
        "code": code,
    }
    params["sign"] = alipay_signature(params, keys.private_key_pem)
    try:
        response = requests.post(gateway, data=params, timeout=TIMEOUT_SECONDS)
        raw = response.text
        signature = str(json.loads(raw).get("sign", ""))
    except (requests.RequestException, ValueError) as error:
        raise LoginUnavailable from error
    node = _verified_node(raw, signature, keys.alipay_public_key_pem)
    user_id, open_id = (node or {}).get("user_id"), (node or {}).get("open_id")
    if not (user_id or open_id):
        raise LoginUnavailable
    return ProviderIdentity(str(open_id or user_id), str(user_id) if user_id else None)
