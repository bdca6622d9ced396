"""异地就医备案 records, with the provincial 异地申请 table's field names where it has one."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, unique_while_active


class RemoteCareFiling(Base):
    __tablename__ = "remote_care_filings"
    __table_args__ = (
        sa.UniqueConstraint("psn_no", "idempotency_key"),
        unique_while_active("uq_remote_care_filings_active", "psn_no", "insutype"),  # one per 险种
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # random, unguessable
    psn_no: Mapped[str] = mapped_column(sa.String(32), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))  # catalog id: remote.retiree …
    dcla_type: Mapped[str] = mapped_column(sa.String(8))  # new | change (登记类别 新增/变更)
    status: Mapped[str] = mapped_column(sa.String(16))  # active | cancelled | superseded
    insutype: Mapped[str] = mapped_column(sa.String(3))
    insu_admdvs: Mapped[str] = mapped_column(sa.String(6))  # 参保地
    rloc_admdvs: Mapped[str] = mapped_column(sa.String(6))  # 就医地
    resout_addr: Mapped[str] = mapped_column(sa.String(200))  # 就医地联系地址
    tel: Mapped[str] = mapped_column(sa.String(20))
    begndate: Mapped[date]
    enddate: Mapped[date | None]  # None: 长期备案, valid until cancelled
    rloc_rea: Mapped[str | None] = mapped_column(sa.String(200))
    filed_by: Mapped[str] = mapped_column(sa.String(8))  # self | agent (本人 / 被委托人)
    agnter_name: Mapped[str | None] = mapped_column(sa.String(64))
    agnter_cert_type: Mapped[str | None] = mapped_column(sa.String(2))
    agnter_certno: Mapped[str | None] = mapped_column(sa.String(18))
    agnter_tel: Mapped[str | None] = mapped_column(sa.String(20))
    agnter_rlts: Mapped[str | None] = mapped_column(sa.String(16))
    pledge: Mapped[bool]  # 个人承诺 signed
    referral_hospital: Mapped[str | None] = mapped_column(sa.String(128))
    referral_certificate: Mapped[str | None] = mapped_column(sa.String(32))  # an upload id
    dcla_souc: Mapped[str] = mapped_column(sa.String(16))  # channel
    acting_staff_id: Mapped[str | None] = mapped_column(sa.String(32))  # 帮办代办
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(255))
    changed_from: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
