"""上传材料: photos and scans citizens upload, checked by content and stored by content."""

from __future__ import annotations

from flask_smorest import Api

from app.selfservice.uploads.routes import blp


def register(api: Api) -> None:
    api.register_blueprint(blp)
