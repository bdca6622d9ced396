"""生育 claims, their uploaded materials, and every step taken on them (the history)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


class MaternityClaim(Base):
    __tablename__ = "maternity_claims"
    __table_args__ = (
        sa.UniqueConstraint("psn_no", "idempotency_key"),
        # 辅助生殖补助 only once per person: set to psn_no while such a claim stands.
        sa.UniqueConstraint("once_per_person"),
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # random, unguessable
    psn_no: Mapped[str] = mapped_column(sa.String(32), index=True)
    type: Mapped[str] = mapped_column(sa.String(40))  # catalog id: maternity.medical …
    status: Mapped[str] = mapped_column(sa.String(16))  # ClaimStatus
    returned_from: Mapped[str | None] = mapped_column(sa.String(16))  # status before 补正
    beneficiary: Mapped[str] = mapped_column(sa.String(8))  # self | spouse (未就业配偶)
    allowance_kind: Mapped[str | None] = mapped_column(sa.String(16))  # 生育津贴 only
    event_date: Mapped[date | None]  # 生育 / 手术 / 就诊 date
    claimed_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    pay_to: Mapped[str | None] = mapped_column(sa.String(8))  # person | employer
    bank_account_name: Mapped[str | None] = mapped_column(sa.String(64))  # 户名
    bank_account_no: Mapped[str | None] = mapped_column(sa.String(32))  # 账号
    bank_name: Mapped[str | None] = mapped_column(sa.String(128))  # 开户行
    spouse_name: Mapped[str | None] = mapped_column(sa.String(64))
    spouse_certno: Mapped[str | None] = mapped_column(sa.String(18))
    pledges: Mapped[list[str]] = mapped_column(sa.JSON)  # names of the 承诺书 signed
    insuplc_admdvs: Mapped[str] = mapped_column(sa.String(6))  # 生育保险's 参保地
    emp_name: Mapped[str | None] = mapped_column(sa.String(128))
    source_region: Mapped[str | None] = mapped_column(sa.String(6))  # the guide, at submit
    promised_days: Mapped[int | None]  # 承诺办结 working days, fixed at submit
    settled_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    settlement_sha256: Mapped[str | None] = mapped_column(sa.String(64))  # 结算单 PDF
    settlement_code: Mapped[str | None] = mapped_column(sa.String(32))  # its verification code
    once_per_person: Mapped[str | None] = mapped_column(sa.String(32))
    dcla_souc: Mapped[str] = mapped_column(sa.String(16))  # channel
    acting_staff_id: Mapped[str | None] = mapped_column(sa.String(32))  # 帮办代办
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    materials: Mapped[list[ClaimMaterial]] = relationship(
        order_by="ClaimMaterial.created_at", lazy="selectin", cascade="all, delete-orphan"
    )
    events: Mapped[list[ClaimEvent]] = relationship(order_by="ClaimEvent.id", lazy="selectin")


class ClaimMaterial(Base):
    """One uploaded file, filed under one checklist item of the claim."""

    __tablename__ = "maternity_claim_materials"
    __table_args__ = (sa.UniqueConstraint("claim_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    claim_id: Mapped[str] = mapped_column(sa.ForeignKey("maternity_claims.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(128))  # the checklist item, as the guide names it
    upload_id: Mapped[str] = mapped_column(sa.ForeignKey("uploads.id"))
    content_type: Mapped[str] = mapped_column(sa.String(32))
    size: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(128))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class ClaimEvent(Base):
    """A step in the claim's history: who did what, when, from which status to which."""

    __tablename__ = "maternity_claim_events"
    __table_args__ = (sa.UniqueConstraint("claim_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[str] = mapped_column(sa.ForeignKey("maternity_claims.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(32))
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    actor_kind: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[str] = mapped_column(sa.String(64))
    reasons: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    detail: Mapped[str | None] = mapped_column(sa.String(200))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
