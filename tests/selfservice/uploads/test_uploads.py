"""Uploads: JPEG/PNG/PDF by content, limits, bombs, clean names, owner-only, stored by content."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from app.selfservice.uploads import service
from tests.conftest import assert_error_shape
from tests.factories import citizen_headers

URL = "/api/v1/uploads"


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bomb() -> bytes:
    """A small PNG whose header claims 50,000 × 50,000 pixels."""
    data = bytearray(png(1, 1))
    ihdr = data[12:29]
    patched = ihdr[:4] + struct.pack(">II", 50_000, 50_000) + ihdr[12:]
    data[12:29] = patched
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(patched)))
    return bytes(data)


def send(app: Flask, headers: dict[str, str], content: bytes, name: str = "receipt.png") -> Any:
    return app.test_client().post(
        URL,
        data={"file": (io.BytesIO(content), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(png(), "发票.png", "image/png"), (jpeg(), "photo.jpg", "image/jpeg"), (PDF, "证明.pdf",
     "application/pdf"), (png(), "renamed.pdf", "image/png")],
)  # fmt: skip
def test_accepted_files_are_typed_by_their_bytes(
    db_app: Flask, content: bytes, name: str, content_type: str
) -> None:
    me = citizen_headers(db_app, openid="u1", psn_no=None)
    response = send(db_app, me, content, name)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_type"] == content_type
    with db_app.test_client().get(f"{URL}/{response.get_json()['id']}", headers=me) as fetched:
        assert fetched.data == content


@pytest.mark.parametrize(
    "content",
    [b"", b"MZ\x90\x00 an executable", b"<html>not a photo</html>", png()[:60], bomb(),
     b"%PDF-1.4 cut short"],
)  # fmt: skip
def test_hostile_or_broken_files_are_refused_and_nothing_is_kept(
    db_app: Flask, content: bytes
) -> None:
    me = citizen_headers(db_app, openid="u2", psn_no=None)
    before = sorted(Path(db_app.config["UPLOAD_DIR"]).rglob("*"))
    response = send(db_app, me, content, "x.png")
    assert response.status_code == 422
    assert_error_shape(response.get_json())
    assert sorted(Path(db_app.config["UPLOAD_DIR"]).rglob("*")) == before


def test_too_big_is_refused_in_the_error_shape(db_app: Flask) -> None:
    me = citizen_headers(db_app, openid="u3", psn_no=None)
    response = db_app.test_client().post(
        URL,
        data=b"0" * (12 * 1024 * 1024),
        headers=me,
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 413
    assert_error_shape(response.get_json())


def test_names_are_cleaned() -> None:
    assert service.clean_label("../../etc/passwd") == "passwd"
    assert service.clean_label("C:\\Users\\x\\发票 (1).jpg") == "发票_(1).jpg"
    assert service.clean_label(None) == "附件"
    assert service.clean_label("\x00\x01") == "附件"


def test_the_same_content_is_stored_once(tmp_path: Path) -> None:
    first = service.store_file(tmp_path, PDF)
    second = service.store_file(tmp_path, PDF)
    assert first == second
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first]


def test_nobody_fetches_anothers_upload(db_app: Flask) -> None:
    mine = send(db_app, citizen_headers(db_app, openid="u4", psn_no=None), png()).get_json()
    other = citizen_headers(db_app, openid="u5", psn_no=None)
    assert db_app.test_client().get(f"{URL}/{mine['id']}", headers=other).status_code == 404
    assert db_app.test_client().get(f"{URL}/{mine['id']}").status_code == 401


def test_uploads_and_first_sign_ins_are_audited(db_app: Flask) -> None:
    from app.audit import AuditEntry

    me = citizen_headers(db_app, openid="u6", psn_no=None)
    upload = send(db_app, me, png()).get_json()
    with db_app.extensions["db"].session() as session:
        actions = {e.action for e in session.query(AuditEntry).all()}
        entry = session.query(AuditEntry).filter_by(record_id=upload["id"]).one()
    assert {"citizen.sign_up", "upload.create"} <= actions
    assert entry.actor_kind == "citizen"
