"""The local insured-person registry (the embedded default's stand-in for the provincial platform).

Column names follow the national 医保信息平台 (transaction 1101: baseinfo, insuinfo).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


class InsuredPerson(Base):
    __tablename__ = "insured_persons"

    psn_no: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    psn_cert_type: Mapped[str] = mapped_column(sa.String(2), default="01")  # 01 居民身份证
    certno: Mapped[str] = mapped_column(sa.String(18), unique=True)
    psn_name: Mapped[str] = mapped_column(sa.String(64))
    gend: Mapped[str] = mapped_column(sa.String(1))  # 1 男 2 女
    brdy: Mapped[date]
    coverages: Mapped[list[InsuredCoverage]] = relationship(
        back_populates="person", order_by="InsuredCoverage.id", lazy="selectin"
    )


class InsuredCoverage(Base):
    """One 险种 of a person (insuinfo row): its own 参保地 and status."""

    __tablename__ = "insured_coverages"

    id: Mapped[int] = mapped_column(primary_key=True)
    psn_no: Mapped[str] = mapped_column(sa.ForeignKey("insured_persons.psn_no"), index=True)
    insutype: Mapped[str] = mapped_column(sa.String(3))  # 310 职工 390 居民 510 生育
    psn_insu_stas: Mapped[str] = mapped_column(sa.String(1))  # 1 参保缴费 2 暂停 4 终止
    psn_insu_date: Mapped[date]
    paus_insu_date: Mapped[date | None]
    insuplc_admdvs: Mapped[str] = mapped_column(sa.String(6))
    emp_name: Mapped[str | None] = mapped_column(sa.String(128))
    retired: Mapped[bool] = mapped_column(default=False)
    person: Mapped[InsuredPerson] = relationship(back_populates="coverages")


class InsuredRelation(Base):
    """`relative_psn_no` is the person's `relation` (配偶, 父母, 子女 …), as 户籍 records say."""

    __tablename__ = "insured_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    psn_no: Mapped[str] = mapped_column(sa.ForeignKey("insured_persons.psn_no"), index=True)
    relative_psn_no: Mapped[str] = mapped_column(sa.ForeignKey("insured_persons.psn_no"))
    relation: Mapped[str] = mapped_column(sa.String(8))
