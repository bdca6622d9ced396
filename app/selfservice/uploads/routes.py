"""Uploading materials (multipart, field `file`) and fetching one's own back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, request, send_file
from flask.views import MethodView
from werkzeug.wrappers import Response

from app import auth
from app.db import request_session
from app.extensions import Blueprint
from app.idempotency import idempotent
from app.selfservice.identity.acting import current_actor
from app.selfservice.uploads import service
from app.selfservice.uploads.models import Upload
from app.selfservice.uploads.schemas import UploadResponse

blp = Blueprint("uploads", __name__, url_prefix="/api/v1/uploads", description="上传材料")


def storage_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def stored_file(digest: str) -> Path:
    """The stored file with that SHA-256 (uploads, certificates, 结算单 share one store)."""
    return service.stored_path(storage_root(), digest)


@blp.route("")
class Uploads(MethodView):
    @idempotent
    @blp.response(201, UploadResponse)
    @blp.alt_response(413, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="DEFAULT_ERROR")
    @auth.citizen_required
    def post(self) -> Upload:
        """上传一份材料（JPG、PNG 或 PDF，不超过 10 MB），按内容判断类型。"""
        sent = request.files.get("file")
        if sent is None:
            raise service.UploadRefused("请用表单字段 file 上传文件。")
        checked = service.check(sent.read(service.MAX_BYTES + 1), sent.filename)
        return service.save_upload(
            request_session(), storage_root(), checked=checked, actor=current_actor(),
            now=datetime.now(UTC),
        )  # fmt: skip


@blp.route("/<string:upload_id>")
class UploadFile(MethodView):
    @blp.response(200)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.citizen_required
    def get(self, upload_id: str) -> Response:
        """取回自己上传的文件。"""
        actor = current_actor()
        upload = service.owned_upload(request_session(), upload_id, f"{actor.kind}:{actor.id}")
        if upload is None:
            raise service.UploadNotFound
        path = stored_file(upload.sha256)
        return send_file(path, mimetype=upload.content_type, download_name=upload.label)
