"""Request ids and log hygiene: a fresh id per request, ID numbers masked in every log record."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, Response, g, request

from app.id_numbers import mask_id_numbers

REQUEST_ID_HEADER = "X-Request-ID"
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class MaskIdNumbers(logging.Filter):
    """Rewrites each record's message with ID numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RequestIdFilter(logging.Filter):
    """Adds the current request id to each record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.request_id = g.get("request_id", "")
        except RuntimeError:  # outside an application context
            record.request_id = ""
        return True


def _start_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex


def _tag_response(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    return response


def register(app: Flask) -> None:
    """Give every request an id, and every log line that id with ID numbers masked."""
    app.before_request(_start_request)
    app.after_request(_tag_response)
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    handler.addFilter(RequestIdFilter())
    handler.addFilter(MaskIdNumbers())
    # Flask's app.logger is the "app" logger, the parent of every module's logger here.
    logger = logging.getLogger("app")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
