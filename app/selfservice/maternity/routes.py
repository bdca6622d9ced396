"""生育 claims over HTTP: the citizen's drafts and submissions, and the agency's review steps."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app, request, send_file
from flask.views import MethodView
from werkzeug.wrappers import Response

from app import auth
from app.auth import Role
from app.db import request_session
from app.extensions import Blueprint
from app.guides.kb import KnowledgeBase
from app.idempotency import idempotency_key, idempotent
from app.selfservice.identity.acting import acting_for, current_actor, readable_psn_no
from app.selfservice.maternity import progress, review, service
from app.selfservice.maternity.models import MaternityClaim
from app.selfservice.maternity.rules import Facts
from app.selfservice.maternity.schemas import (
    ClaimRequest,
    ClaimResponse,
    ClaimsQuery,
    ClaimUpdateRequest,
    StaffClaimsQuery,
    StepRequest,
)
from app.selfservice.registry.adapters import registry_for
from app.selfservice.uploads import service as uploads
from app.selfservice.uploads.routes import storage_root, stored_file
from app.working_days import CHINA_TIME, WorkingCalendar, read_published

blp = Blueprint(
    "maternity", __name__, url_prefix="/api/v1/maternity", description="生育保险待遇申请"
)
staff_blp = Blueprint(
    "maternity_staff", __name__, url_prefix="/api/v1/staff/maternity", description="生育待遇审核"
)


@cache
def _calendar_at(path: Path, _mtime: float) -> WorkingCalendar:
    return WorkingCalendar(read_published(path))


def _calendar() -> WorkingCalendar:
    """The working-day calendar, read again when curators change holidays.yaml."""
    path = Path(current_app.config["KNOWLEDGE_DIR"]) / "holidays.yaml"
    return _calendar_at(path, path.stat().st_mtime if path.exists() else 0.0)


def _kb() -> KnowledgeBase:
    kb: KnowledgeBase = current_app.extensions["knowledge_base"].current
    return kb


def _view(claim: MaternityClaim) -> progress.ClaimView:
    today = datetime.now(CHINA_TIME).date()
    return progress.view_claim(_kb(), claim, _calendar(), today)


@blp.route("/claims")
class Claims(MethodView):
    @idempotent
    @blp.arguments(ClaimRequest())
    @blp.response(201, ClaimResponse)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, payload: dict[str, Any]) -> progress.ClaimView:
        """新建生育待遇申请（草稿）。支持 Idempotency-Key。"""
        session = request_session()
        acting = acting_for(session, payload.pop("psn_no", None))
        payload["pledges"] = tuple(payload.get("pledges", ()))
        claim = service.create_claim(
            session, registry_for(session), _kb(), psn_no=acting.psn_no, facts=Facts(**payload),
            actor=acting.actor, idempotency_key=idempotency_key(), now=datetime.now(UTC),
        )  # fmt: skip
        return _view(claim)

    @blp.arguments(ClaimsQuery(), location="query", as_kwargs=True)
    @blp.response(200, ClaimResponse(many=True))
    @auth.citizen_required
    def get(self, psn_no: str | None = None) -> list[progress.ClaimView]:
        """我的生育待遇申请（经办人员按 psn_no 查询）。"""
        session = request_session()
        claims = service.list_claims(session, psn_no=acting_for(session, psn_no).psn_no)
        return [_view(claim) for claim in claims]


@blp.route("/claims/<string:claim_id>")
class Claim(MethodView):
    @blp.response(200, ClaimResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.citizen_required
    def get(self, claim_id: str) -> progress.ClaimView:
        """一份申请，含材料清单、办理记录和承诺办结日期（只能看自己的）。"""
        session = request_session()
        return _view(service.get_claim(session, claim_id=claim_id, psn_no=readable_psn_no(session)))

    @blp.arguments(ClaimUpdateRequest())
    @blp.response(200, ClaimResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def patch(self, payload: dict[str, Any], claim_id: str) -> progress.ClaimView:
        """修改草稿或退回补正的申请。"""
        session = request_session()
        claim = service.update_claim(
            session, registry_for(session), _kb(), claim_id=claim_id,
            psn_no=readable_psn_no(session), changes=payload, actor=current_actor(),
            now=datetime.now(UTC),
        )  # fmt: skip
        return _view(claim)


@blp.route("/claims/<string:claim_id>/materials")
class Materials(MethodView):
    @idempotent
    @blp.response(201, ClaimResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @blp.alt_response(413, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, claim_id: str) -> progress.ClaimView:
        """上传一份材料（表单字段 file 和清单中的材料名称 name）。支持 Idempotency-Key。"""
        session = request_session()
        sent, name = request.files.get("file"), request.form.get("name", "")
        if sent is None:
            raise uploads.UploadRefused("请用表单字段 file 上传文件。")
        checked = uploads.check(sent.read(uploads.MAX_BYTES + 1), sent.filename)
        claim = service.add_material(
            session, _kb(), storage_root(), claim_id=claim_id, psn_no=readable_psn_no(session),
            name=name, checked=checked, actor=current_actor(), idempotency_key=idempotency_key(),
            now=datetime.now(UTC),
        )  # fmt: skip
        return _view(claim)


@blp.route("/claims/<string:claim_id>/materials/<string:material_id>")
class Material(MethodView):
    @blp.response(200, ClaimResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @auth.citizen_required
    def delete(self, claim_id: str, material_id: str) -> progress.ClaimView:
        """删除草稿（或退回补正的申请）中的一份材料。"""
        session = request_session()
        claim = service.remove_material(
            session, claim_id=claim_id, psn_no=readable_psn_no(session), material_id=material_id,
            actor=current_actor(), now=datetime.now(UTC),
        )  # fmt: skip
        return _view(claim)


@blp.route("/claims/<string:claim_id>/submit")
class Submit(MethodView):
    @idempotent
    @blp.response(200, ClaimResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, claim_id: str) -> progress.ClaimView:
        """提交（或补正后重新提交）申请：材料不齐时说明缺什么。支持 Idempotency-Key。"""
        session = request_session()
        claim = service.submit_claim(
            session, registry_for(session), _kb(), claim_id=claim_id,
            psn_no=readable_psn_no(session), actor=current_actor(),
            idempotency_key=idempotency_key(), now=datetime.now(UTC),
        )  # fmt: skip
        return _view(claim)


@blp.route("/claims/<string:claim_id>/settlement.pdf")
class SettlementPdf(MethodView):
    @blp.response(200)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.citizen_required
    def get(self, claim_id: str) -> Response:
        """下载《云南省医疗保障医保结算单》（结算后；本人或经办人员）。"""
        session = request_session()
        claim = service.get_claim(session, claim_id=claim_id, psn_no=readable_psn_no(session))
        digest = review.settlement_file(claim)
        path = stored_file(digest)
        return send_file(path, mimetype="application/pdf", download_name="settlement.pdf")


@staff_blp.route("/claims")
class StaffClaims(MethodView):
    @staff_blp.arguments(StaffClaimsQuery(), location="query", as_kwargs=True)
    @staff_blp.response(200, ClaimResponse(many=True))
    @auth.staff_required()
    def get(self, **query: Any) -> list[progress.ClaimView]:
        """已提交的申请（overdue=true：超过承诺办结日期仍未办结的）。"""
        status = progress.ClaimStatus(query.pop("status")) if "status" in query else None
        today = datetime.now(CHINA_TIME).date()
        return review.list_for_staff(
            request_session(), _calendar(), today=today, status=status, **query
        )


@staff_blp.route("/claims/<string:claim_id>/steps")
class Steps(MethodView):
    @idempotent
    @staff_blp.arguments(StepRequest())
    @staff_blp.response(200, ClaimResponse)
    @staff_blp.alt_response(404, response="DEFAULT_ERROR")
    @staff_blp.alt_response(409, response="DEFAULT_ERROR")
    @staff_blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.staff_required(Role.REVIEWER)
    def post(self, payload: dict[str, Any], claim_id: str) -> progress.ClaimView:
        """办理一步：受理、审核、结算、拨付，或退回补正、不予受理（须写理由）。"""
        session = request_session()
        decision = review.Decision(
            payload["step"], tuple(payload["reasons"]), payload.get("settled_amount")
        )
        base = current_app.config["PUBLIC_BASE_URL"]
        printing = review.Printing(
            storage_root(), current_app.config["CJK_FONT"], f"{base}/api/v1/certificates/verify"
        )
        claim = review.take_step(
            session, registry_for(session), _kb(), claim_id=claim_id, decision=decision,
            printing=printing, actor=current_actor(), idempotency_key=idempotency_key(),
            now=datetime.now(UTC),
        )  # fmt: skip
        return _view(claim)
