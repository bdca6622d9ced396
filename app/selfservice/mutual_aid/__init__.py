"""个人账户共济 (account.mutual-aid): authorise and unbind family use of one's 个人账户."""

from __future__ import annotations

from flask_smorest import Api

from app.selfservice.mutual_aid.routes import blp


def register(api: Api) -> None:
    api.register_blueprint(blp)
