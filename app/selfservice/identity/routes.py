"""Login and logout for staff (and, through the same tokens, citizens)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, g, request
from flask.views import MethodView

from app import auth
from app.auth import Principal, PrincipalKind, Role
from app.db import request_session
from app.errors import DomainError, Kind
from app.extensions import Blueprint
from app.id_numbers import mask_id_numbers
from app.ratelimit import sign_in_limit
from app.selfservice.identity import providers, service
from app.selfservice.identity.schemas import (
    BindRequest,
    BindResponse,
    CitizenLoginRequest,
    CitizenLoginResponse,
    LoginResponse,
    PrincipalResponse,
    StaffLoginRequest,
)
from app.selfservice.registry.adapters import registry_for

blp = Blueprint("identity", __name__, url_prefix="/api/v1/auth", description="登录 (login)")


@blp.route("/staff/login")
class StaffLogin(MethodView):
    @blp.arguments(StaffLoginRequest())
    @blp.response(200, LoginResponse)
    @blp.alt_response(401, response="DEFAULT_ERROR")
    @blp.alt_response(429, response="DEFAULT_ERROR")
    @sign_in_limit
    @auth.public
    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """经办人员登录。连续失败 5 次锁定 15 分钟。"""
        account = service.authenticate_staff(
            request_session(),
            current_app.extensions["store"],
            username=payload["username"],
            password=payload["password"],
            client_ip=request.remote_addr or "",
            request_id=g.request_id,
            now=datetime.now(UTC),
        )
        principal = Principal(PrincipalKind.STAFF, str(account.id), Role(account.role))
        token = auth.issue_token(current_app.extensions["store"], principal)
        return {"token": token, "expires_in": auth.TOKEN_TTL_SECONDS, "staff": account}


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    @auth.citizen_required
    def post(self) -> None:
        """退出登录：令牌立即失效。"""
        token = auth.bearer_token()
        if token is not None:
            auth.revoke_token(current_app.extensions["store"], token)


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, PrincipalResponse)
    @auth.citizen_required
    def get(self) -> Principal:
        """当前登录的是谁。"""
        return auth.current_principal()


class DevLoginDisabled(DomainError):
    kind, code = Kind.FORBIDDEN, "dev_login_disabled"
    message = "开发登录未开启。"


class LoginFieldMissing(DomainError):
    kind, code = Kind.INVALID, "login_field_missing"
    message = "缺少登录凭证：微信、支付宝请提供 code，开发登录请提供 openid。"


def _identity_for(payload: dict[str, Any]) -> providers.ProviderIdentity:
    channel, config = payload["channel"], current_app.config
    if channel == "dev":
        if not config["AUTH_DEV_LOGIN"]:
            raise DevLoginDisabled
        if "openid" not in payload:
            raise LoginFieldMissing(errors={"openid": ["必须填写。"]})
        return providers.ProviderIdentity(payload["openid"], None)
    if "code" not in payload:
        raise LoginFieldMissing(errors={"code": ["必须填写。"]})
    if channel == "alipay":
        keys = providers.AlipayKeys(
            config["ALIPAY_APP_ID"], config["ALIPAY_PRIVATE_KEY"], config["ALIPAY_PUBLIC_KEY"]
        )
        return providers.exchange_alipay_code(
            payload["code"], gateway=config["ALIPAY_GATEWAY"], keys=keys, now=datetime.now(UTC)
        )
    return providers.exchange_wechat_code(
        payload["code"],
        base_url=config["WECHAT_API_BASE"],
        appid=config["WECHAT_APPID"],
        secret=config["WECHAT_SECRET"],
    )


@blp.route("/login")
class CitizenLogin(MethodView):
    @blp.arguments(CitizenLoginRequest())
    @blp.response(200, CitizenLoginResponse)
    @blp.alt_response(401, response="DEFAULT_ERROR")
    @blp.alt_response(503, response="DEFAULT_ERROR")
    @sign_in_limit
    @auth.public
    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """小程序登录：用 code 换取令牌（开发环境可用 dev 渠道）。"""
        found = _identity_for(payload)
        account = service.sign_in_citizen(
            request_session(),
            channel=payload["channel"],
            openid=found.openid,
            unionid=found.unionid,
            now=datetime.now(UTC),
            request_id=g.request_id,
        )
        principal = Principal(PrincipalKind.CITIZEN, str(account.id))
        token = auth.issue_token(current_app.extensions["store"], principal)
        return {"token": token, "expires_in": auth.TOKEN_TTL_SECONDS, "bound": bool(account.psn_no)}


@blp.route("/bind")
class Bind(MethodView):
    @blp.arguments(BindRequest())
    @blp.response(200, BindResponse)
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @blp.alt_response(429, response="DEFAULT_ERROR")
    @sign_in_limit
    @auth.citizen_required
    def post(self, payload: dict[str, Any]) -> dict[str, str]:
        """实名认证：姓名和身份证号与参保登记一致才绑定；不告诉是哪一项不对。"""
        principal = auth.current_principal()
        if principal.kind is not PrincipalKind.CITIZEN:
            raise auth.NotAllowed
        session = request_session()
        person = service.bind_person(
            session,
            current_app.extensions["store"],
            registry_for(session),
            account_id=int(principal.id),
            psn_name=payload["psn_name"],
            certno=payload["certno"],
            request_id=g.request_id,
            now=datetime.now(UTC),
        )
        return {
            "psn_no": person.psn_no,
            "psn_name": person.psn_name,
            "certno": mask_id_numbers(person.certno),
        }
