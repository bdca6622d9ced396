"""异地就医备案: the five remote.* services (退休安置, 长期居住, 常驻工作, 转诊, 临时外出)."""

from __future__ import annotations

from flask_smorest import Api

from app.selfservice.remote_care.routes import blp


def register(api: Api) -> None:
    api.register_blueprint(blp)
