"""The app's extensions, created and bound to each app in `init_extensions`."""

from __future__ import annotations

import flask_smorest
from flask import Flask
from webargs.flaskparser import FlaskParser

from app.errors import MedinsureApi


def init_extensions(app: Flask) -> MedinsureApi:
    """Bind the extensions to the app; return the API that contexts register on.

    One Api per app: flask-smorest keeps the OpenAPI spec on the Api object.
    """
    app.config.setdefault("API_TITLE", "云南医保 全省通办 API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "/docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", "https://cdn.jsdelivr.net/npm/swagger-ui-dist/")
    return MedinsureApi(app)


class StrictParser(FlaskParser):
    """webargs ignores unknown query parameters by default; we refuse them, as for JSON bodies."""

    DEFAULT_UNKNOWN_BY_LOCATION = dict.fromkeys(FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION)


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """flask-smorest's Blueprint, strict: a misspelt parameter is a 422, not ignored."""

    ARGUMENTS_PARSER = StrictParser()
