"""One error shape everywhere: {code, message, errors, request_id}; domain error kind → status."""

from __future__ import annotations

import logging
from enum import Enum
from typing import Any, ClassVar

import marshmallow as ma
from flask import Flask, g, jsonify
from flask.typing import ResponseReturnValue
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class Kind(Enum):
    """What went wrong, independent of HTTP."""

    INVALID = 422
    NOT_FOUND = 404
    CONFLICT = 409
    FORBIDDEN = 403
    UNAUTHORISED = 401
    TOO_MANY = 429
    UNAVAILABLE = 503


class DomainError(Exception):
    """An error a citizen can act on: a stable code and a Chinese message saying what to do."""

    kind: ClassVar[Kind]
    code: ClassVar[str]
    message: ClassVar[str]

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: dict[str, list[str]] | None = None,
        suggestions: list[dict[str, str]] | None = None,
    ) -> None:
        self.text = message or self.message
        self.errors = errors or {}
        self.suggestions = suggestions
        super().__init__(self.text)


# Werkzeug's statuses, in words a citizen understands.
HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式不正确，请检查后重试。"),
    401: ("unauthorised", "请先登录。"),
    403: ("forbidden", "您没有权限进行此操作。"),
    404: ("not_found", "没有找到您要的内容，请检查网址。"),
    405: ("method_not_allowed", "不支持这种请求方式。"),
    406: ("not_acceptable", "无法按要求的格式返回内容。"),
    409: ("conflict", "请求与当前状态冲突，请刷新后重试。"),
    412: ("precondition_failed", "内容已变化，请刷新后重试。"),
    413: ("payload_too_large", "上传内容过大，请压缩后重试。"),
    414: ("uri_too_long", "请求地址过长，请缩短查询内容。"),
    415: ("unsupported_media_type", "不支持该内容格式，请以 JSON 提交。"),
    422: ("invalid_input", "提交的内容有误，请按提示修改后重试。"),
    429: ("rate_limited", "操作过于频繁，请稍后再试。"),
    431: ("headers_too_large", "请求头过大。"),
    500: ("internal_error", "系统繁忙，请稍后再试；如多次失败请拨打 12345 咨询。"),
    503: ("unavailable", "服务暂时不可用，请稍后再试。"),
}


class ErrorResponse(ma.Schema):
    """The one error payload (documentation; responses are built by `error_payload`)."""

    code = ma.fields.String(required=True, metadata={"description": "稳定的机器可读错误码"})
    message = ma.fields.String(required=True, metadata={"description": "给市民看的中文说明"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "字段 → 该字段的问题"},
    )
    suggestions = ma.fields.List(
        ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String()),
        metadata={"description": "相近的候选（如未找到的事项或地区）"},
    )
    request_id = ma.fields.String(metadata={"description": "请求编号，咨询时请提供"})


def error_payload(
    code: str,
    message: str,
    *,
    errors: dict[str, list[str]] | None = None,
    suggestions: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The error object every error response carries."""
    payload: dict[str, Any] = {
        "code": code,
        "message": message,
        "errors": errors or {},
        "request_id": g.get("request_id", ""),
    }
    if suggestions is not None:
        payload["suggestions"] = suggestions
    return payload


def _flatten_validation(messages: Any) -> dict[str, list[str]]:
    """webargs nests messages by location ({"query": {"region": [...]}}); we give field → list."""
    flat: dict[str, list[str]] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, list) and all(isinstance(item, str) for item in node):
            flat.setdefault(prefix or "_schema", []).extend(node)
        else:
            flat.setdefault(prefix or "_schema", []).append(str(node))

    if isinstance(messages, dict):
        for location_or_field, value in messages.items():
            top = location_or_field in {"query", "json", "form", "files", "headers", "view_args"}
            walk(value, "" if top else str(location_or_field))
    return flat


class MedinsureApi(Api):  # type: ignore[misc]
    """flask-smorest's Api with our error shape for Werkzeug errors and webargs validation."""

    ERROR_SCHEMA = ErrorResponse

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        code, message = HTTP_MESSAGES.get(status, (f"http_{status}", "请求未能完成，请稍后再试。"))
        data = getattr(error, "data", None) or {}
        errors = _flatten_validation(data.get("messages") or data.get("errors") or {})
        if status == 422 and errors:
            message = "提交的内容有误：" + "；".join(
                f"{field} {'、'.join(texts)}" for field, texts in errors.items()
            )
        response = jsonify(error_payload(code, message, errors=errors))
        response.status_code = status
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response


def _handle_domain_error(error: DomainError) -> ResponseReturnValue:
    payload = error_payload(
        error.code, error.text, errors=error.errors, suggestions=error.suggestions
    )
    return jsonify(payload), error.kind.value


def _handle_unexpected(error: Exception) -> ResponseReturnValue:
    # Registered for Exception: anything not handled above is a bug, logged with the request id.
    log.exception("unhandled error", exc_info=error)
    code, message = HTTP_MESSAGES[500]
    return jsonify(error_payload(code, message)), 500


def register(app: Flask) -> None:
    """Install the domain-error and catch-all handlers (smorest installs the HTTP one)."""
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(Exception, _handle_unexpected)
