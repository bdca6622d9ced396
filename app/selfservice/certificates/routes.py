"""参保证明 / 参保凭证 over HTTP: issue, download again (owner only), verify (public)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, send_file
from flask.views import MethodView
from werkzeug.wrappers import Response

from app import auth
from app.db import request_session
from app.extensions import Blueprint
from app.idempotency import idempotency_key, idempotent
from app.ratelimit import limiter
from app.selfservice.certificates import service
from app.selfservice.certificates.models import Certificate
from app.selfservice.certificates.schemas import (
    CertificateResponse,
    IssueRequest,
    VerificationResponse,
)
from app.selfservice.identity.acting import acting_for, readable_psn_no
from app.selfservice.registry.adapters import registry_for
from app.selfservice.uploads.routes import storage_root, stored_file

blp = Blueprint("certificates", __name__, url_prefix="/api/v1/certificates", description="参保证明")


@blp.route("")
class Certificates(MethodView):
    @idempotent
    @blp.arguments(IssueRequest())
    @blp.response(201, CertificateResponse)
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self, payload: dict[str, Any]) -> Certificate:
        """出具参保证明或参保凭证（PDF，带验证码和二维码）。支持 Idempotency-Key。"""
        session = request_session()
        acting = acting_for(session, payload.get("psn_no"))
        return service.issue_certificate(
            session,
            registry_for(session),
            psn_no=acting.psn_no,
            kind=payload["kind"],
            actor=acting.actor,
            files=storage_root(),
            verify_base=f"{current_app.config['PUBLIC_BASE_URL']}/api/v1/certificates/verify",
            font_path=current_app.config["CJK_FONT"],
            idempotency_key=idempotency_key(),
            now=datetime.now(UTC),
        )


@blp.route("/<string:certificate_id>.pdf")
class CertificatePdf(MethodView):
    @blp.response(200)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.citizen_required
    def get(self, certificate_id: str) -> Response:
        """再次下载证明（只能下载自己的）。"""
        session = request_session()
        found = service.find_certificate(
            session, certificate_id=certificate_id, psn_no=readable_psn_no(session)
        )
        path = stored_file(found.sha256)
        return send_file(path, mimetype="application/pdf", download_name=f"{found.kind}.pdf")


@blp.route("/verify/<string:code>")
class Verify(MethodView):
    @blp.response(200, VerificationResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @limiter.limit(lambda: str(current_app.config["RATE_LIMIT_VERIFY"]), override_defaults=False)
    @auth.public
    def get(self, code: str) -> service.Verification:
        """凭验证码核验证明（公开，限频）：证明上印的内容和是否有效。"""
        return service.verify_certificate(request_session(), code)
