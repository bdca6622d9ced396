"""异地就医备案 over HTTP: the citizen's own filings, or a clerk's for a named citizen."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app import auth
from app.clock import utc_now
from app.db import request_session
from app.extensions import Blueprint
from app.idempotency import idempotency_key, idempotent
from app.selfservice.identity.acting import (
    acting_for,
    current_actor,
    readable_psn_no,
    reading_for,
    writable_psn_no,
)
from app.selfservice.registry.adapters import registry_for
from app.selfservice.remote_care import service
from app.selfservice.remote_care.models import RemoteCareFiling
from app.selfservice.remote_care.schemas import (
    FilingChangeRequest,
    FilingQuery,
    FilingRequest,
    FilingResponse,
)

blp = Blueprint(
    "remote_care", __name__, url_prefix="/api/v1/remote-care", description="异地就医备案"
)


def _draft(payload: dict[str, Any]) -> service.Draft:
    fields = {k: v for k, v in payload.items() if k != "psn_no"}
    return service.Draft(**fields)


@blp.route("/filings")
class Filings(MethodView):
    @idempotent
    @blp.arguments(FilingRequest())
    @blp.response(201, FilingResponse)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, payload: dict[str, Any]) -> RemoteCareFiling:
        """提交异地就医备案（即时办结：返回的就是结果）。支持 Idempotency-Key。"""
        session = request_session()
        acting = acting_for(session, payload.get("psn_no"))
        return service.file_remote_care(
            session,
            registry_for(session),
            psn_no=acting.psn_no,
            draft=_draft(payload),
            actor=acting.actor,
            idempotency_key=idempotency_key(),
            now=utc_now(),
        )

    @blp.arguments(FilingQuery(), location="query", as_kwargs=True)
    @blp.response(200, FilingResponse(many=True))
    @auth.citizen_required
    def get(self, psn_no: str | None = None) -> list[RemoteCareFiling]:
        """我的备案（经办人员按 psn_no 查询）。"""
        session = request_session()
        return service.list_filings(session, psn_no=reading_for(session, psn_no))


@blp.route("/filings/<string:filing_id>")
class Filing(MethodView):
    @blp.response(200, FilingResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.citizen_required
    def get(self, filing_id: str) -> RemoteCareFiling:
        """一条备案（只能看自己的）。"""
        session = request_session()
        return service.get_filing(session, filing_id=filing_id, psn_no=readable_psn_no(session))


@blp.route("/filings/<string:filing_id>/cancel")
class CancelFiling(MethodView):
    @blp.response(200, FilingResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, filing_id: str) -> RemoteCareFiling:
        """取消备案（长期备案满 6 个月后）。"""
        session = request_session()
        return service.cancel_filing(
            session,
            filing_id=filing_id,
            psn_no=writable_psn_no(session),
            actor=current_actor(),
            now=utc_now(),
        )


@blp.route("/filings/<string:filing_id>/change")
class ChangeFiling(MethodView):
    @idempotent
    @blp.arguments(FilingChangeRequest())
    @blp.response(201, FilingResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, payload: dict[str, Any], filing_id: str) -> RemoteCareFiling:
        """变更备案：新的一条取代原来的（长期备案满 6 个月后）。支持 Idempotency-Key。"""
        session = request_session()
        return service.change_filing(
            session,
            registry_for(session),
            filing_id=filing_id,
            psn_no=writable_psn_no(session),
            draft=_draft(payload),
            actor=current_actor(),
            idempotency_key=idempotency_key(),
            now=utc_now(),
        )
