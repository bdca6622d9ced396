"""Identity: who the caller is (staff and citizen login, tokens)."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from app.selfservice.identity.cli import staff_cli
from app.selfservice.identity.routes import blp


def init_app(app: Flask) -> None:
    app.cli.add_command(staff_cli)


def register(api: Api) -> None:
    api.register_blueprint(blp)
