"""个人账户共济 over HTTP."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app import auth
from app.clock import utc_now
from app.db import request_session
from app.extensions import Blueprint
from app.idempotency import idempotency_key, idempotent
from app.selfservice.identity.acting import acting_for, current_actor, reading_for, writable_psn_no
from app.selfservice.mutual_aid import service
from app.selfservice.mutual_aid.models import MutualAidBinding
from app.selfservice.mutual_aid.schemas import (
    AuthoriseRequest,
    BindingResponse,
    BindingsQuery,
    BindingsResponse,
)
from app.selfservice.registry.adapters import registry_for

blp = Blueprint("mutual_aid", __name__, url_prefix="/api/v1/mutual-aid", description="个人账户共济")


@blp.route("/bindings")
class Bindings(MethodView):
    @idempotent
    @blp.arguments(AuthoriseRequest())
    @blp.response(201, BindingResponse)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, payload: dict[str, Any]) -> MutualAidBinding:
        """授权亲属使用本人个人账户（即时办结）。支持 Idempotency-Key。"""
        session = request_session()
        acting = acting_for(session, payload.get("psn_no"))
        return service.authorise(
            session,
            registry_for(session),
            authoriser_psn_no=acting.psn_no,
            user_name=payload["user_name"],
            user_certno=payload["user_certno"],
            pledge=payload["pledge"],
            actor=acting.actor,
            idempotency_key=idempotency_key(),
            now=utc_now(),
        )

    @blp.arguments(BindingsQuery(), location="query", as_kwargs=True)
    @blp.response(200, BindingsResponse)
    @auth.citizen_required
    def get(self, psn_no: str | None = None) -> service.Bindings:
        """我授权的和授权给我的共济。"""
        session = request_session()
        return service.list_bindings(session, psn_no=reading_for(session, psn_no))


@blp.route("/bindings/<string:binding_id>")
class Binding(MethodView):
    @blp.response(200, BindingResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.citizen_required
    def delete(self, binding_id: str) -> MutualAidBinding:
        """解绑（授权人本人或经办人员）。"""
        session = request_session()
        return service.unbind(
            session,
            binding_id=binding_id,
            authoriser_psn_no=writable_psn_no(session),
            actor=current_actor(),
            now=utc_now(),
        )
