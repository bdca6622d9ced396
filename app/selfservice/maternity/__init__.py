"""生育 claims filed online: 生育医疗费, 计划生育医疗费, 辅助生殖补助, 生育津贴 (maternity.*)."""

from __future__ import annotations

from flask_smorest import Api

from app.selfservice.maternity.routes import blp, staff_blp


def register(api: Api) -> None:
    api.register_blueprint(blp)
    api.register_blueprint(staff_blp)
