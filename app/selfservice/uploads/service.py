"""Uploaded materials (photos of receipts, certificates): checked by content, stored by content.

Only JPEG, PNG and PDF, judged by their bytes, not their names; images are opened by Pillow and
refused when their pixel count could be a decompression bomb. Files are stored under their
SHA-256 (the same photo twice is one file) and written to a temporary name then renamed, so a
stored file is whole or absent. The name the citizen gave is kept only as a cleaned-up label.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image
from sqlalchemy.orm import Session

from app.audit import Actor, record_audit
from app.errors import DomainError, Kind
from app.selfservice.uploads.models import Upload

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 10,000 × 4,000 scan; more is a bomb, not a receipt
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
_UNSAFE = re.compile(r"[^\w.\-（）()\u4e00-\u9fff]+")


class UploadNotFound(DomainError):
    kind, code = Kind.NOT_FOUND, "upload_not_found"
    message = "没有找到这份材料。"


class UploadRefused(DomainError):
    kind, code = Kind.INVALID, "upload_refused"
    message = "只能上传 JPG、PNG 照片或 PDF 文件，且不超过 10 MB。"


@dataclass(frozen=True, slots=True)
class Checked:
    kind: str
    content: bytes
    label: str


def clean_label(filename: str | None) -> str:
    """A safe display name: no path, no control or odd characters, at most 100 characters."""
    base = unicodedata.normalize("NFKC", (filename or "").replace("\\", "/")).split("/")[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._") or "附件"
    return cleaned[:100]


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-2048:]:
        return "pdf"
    return None


def _check_image(content: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise UploadRefused("图片像素过大，请拍照后压缩再上传。")
                image.verify()
    except UploadRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as error:
        raise UploadRefused("图片已损坏或不是真正的 JPG/PNG，请重新拍照上传。") from error


def check(content: bytes, filename: str | None) -> Checked:
    """What the bytes are, if they are an acceptable JPEG, PNG or PDF; else UploadRefused."""
    if not content:
        raise UploadRefused("文件是空的，请重新选择。")
    if len(content) > MAX_BYTES:
        raise UploadRefused("文件超过 10 MB，请压缩后再上传。")
    kind = _sniff(content)
    if kind is None:
        raise UploadRefused
    if kind != "pdf":
        _check_image(content)
    return Checked(kind, content, clean_label(filename))


def stored_path(root: Path, digest: str) -> Path:
    """Where the content with that SHA-256 lives in the store."""
    return root / digest[:2] / digest


def store_file(root: Path, content: bytes) -> str:
    """Write content under its SHA-256, atomically; the same content is stored once."""
    digest = hashlib.sha256(content).hexdigest()
    target = stored_path(root, digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, target)  # atomic: whole or absent
    return digest


def add_upload(
    session: Session, root: Path, *, checked: Checked, actor: Actor, now: datetime
) -> Upload:
    """Store the file, then add its record to the caller's transaction (a claim attaching it
    commits both or neither); the record only ever names a file that is whole."""
    digest = store_file(root, checked.content)
    upload = Upload(
        id=uuid.uuid4().hex,
        owner=f"{actor.kind}:{actor.id}",
        sha256=digest,
        content_type=CONTENT_TYPES[checked.kind],
        size=len(checked.content),
        label=checked.label,
        created_at=now,
    )
    session.add(upload)
    record_audit(
        session, actor, action="upload.create", now=now, record_type="upload",
        record_id=upload.id,
    )  # fmt: skip
    return upload


def save_upload(
    session: Session, root: Path, *, checked: Checked, actor: Actor, now: datetime
) -> Upload:
    """Store the file and record it, in a transaction of its own."""
    with session.begin():
        return add_upload(session, root, checked=checked, actor=actor, now=now)


def owned_upload(session: Session, upload_id: str, owner: str) -> Upload | None:
    """An upload of this owner's, or None (someone else's is not found either).

    Reads in the caller's transaction.
    """
    upload = session.get(Upload, upload_id)
    return upload if upload is not None and upload.owner == owner else None
