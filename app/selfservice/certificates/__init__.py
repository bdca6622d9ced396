"""参保证明 (cert.proof) and 参保凭证 (cert.voucher): issued as verifiable PDFs."""

from __future__ import annotations

from flask_smorest import Api

from app.selfservice.certificates.routes import blp


def register(api: Api) -> None:
    api.register_blueprint(blp)
