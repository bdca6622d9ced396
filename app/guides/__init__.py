"""办事指南: the knowledge base of every guide, its checks, and the guides API."""

from __future__ import annotations

from flask_smorest import Api

from app.guides.routes import blp


def register(api: Api) -> None:
    """Mount the guides API."""
    api.register_blueprint(blp)
