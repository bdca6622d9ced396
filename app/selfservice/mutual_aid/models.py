"""个人账户共济 bindings: an 职工医保 member lets a close relative use their 个人账户."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, unique_while_active


class MutualAidBinding(Base):
    __tablename__ = "mutual_aid_bindings"
    __table_args__ = (
        sa.UniqueConstraint("authoriser_psn_no", "idempotency_key"),
        unique_while_active("uq_mutual_aid_bindings_active", "authoriser_psn_no", "user_psn_no"),
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    authoriser_psn_no: Mapped[str] = mapped_column(sa.String(32), index=True)  # 授权人
    user_psn_no: Mapped[str] = mapped_column(sa.String(32), index=True)  # 被授权人 (共济人员)
    relation: Mapped[str] = mapped_column(sa.String(8))  # what the user is to the authoriser
    status: Mapped[str] = mapped_column(sa.String(16))  # active | unbound
    pledge: Mapped[bool]  # 承诺书
    channel: Mapped[str] = mapped_column(sa.String(16))
    acting_staff_id: Mapped[str | None] = mapped_column(sa.String(32))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    unbound_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
