"""Issued certificates: what was printed (a snapshot), the file, and the verification code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("psn_no", "idempotency_key"),)

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)  # unguessable, printed
    psn_no: Mapped[str] = mapped_column(sa.String(32), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # cert.proof | cert.voucher
    facts: Mapped[str] = mapped_column(sa.Text)  # JSON of what the PDF shows (ID masked)
    sha256: Mapped[str] = mapped_column(sa.String(64))  # the PDF in the file store
    acting_staff_id: Mapped[str | None] = mapped_column(sa.String(32))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(255))
    issued_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
