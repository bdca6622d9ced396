"""Who a person is and how they are insured: the InsuredRegistry port and its local adapter.

参保地 belongs to a (person, 险种) pair, not to the person: one may be insured for 职工医保 in 楚雄
and for 生育保险 there too, or have moved. The provincial platform's adapter answers the same port.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.selfservice.registry.models import InsuredPerson, InsuredRelation


class InsuType(StrEnum):
    EMPLOYEE = "310"  # 职工基本医疗保险
    RESIDENT = "390"  # 城乡居民基本医疗保险
    MATERNITY = "510"  # 生育保险


class InsuStatus(StrEnum):
    PAYING = "1"  # 参保缴费
    PAUSED = "2"  # 暂停缴费
    ENDED = "4"  # 终止参保


class Relation(StrEnum):
    """What the relative is to the person (the 共济 guides' list of close relatives)."""

    SPOUSE = "配偶"
    PARENT = "父母"
    CHILD = "子女"
    SIBLING = "兄弟姐妹"
    GRANDPARENT = "祖父母"
    MATERNAL_GRANDPARENT = "外祖父母"
    GRANDCHILD = "孙子女"
    MATERNAL_GRANDCHILD = "外孙子女"


@dataclass(frozen=True, slots=True)
class Coverage:
    insutype: InsuType
    psn_insu_stas: InsuStatus
    psn_insu_date: date
    paus_insu_date: date | None
    insuplc_admdvs: str
    emp_name: str | None
    retired: bool

    @property
    def active(self) -> bool:
        return self.psn_insu_stas is InsuStatus.PAYING


@dataclass(frozen=True, slots=True)
class Person:
    psn_no: str
    psn_cert_type: str
    certno: str
    psn_name: str
    gend: str
    brdy: date
    insuinfo: tuple[Coverage, ...]

    def coverage(self, insutype: InsuType) -> Coverage | None:
        """The person's row for that 险种, the active one first."""
        rows = [c for c in self.insuinfo if c.insutype is insutype]
        return next((c for c in rows if c.active), rows[0] if rows else None)


class InsuredRegistry(Protocol):
    def find_by_certno(self, certno: str) -> Person | None: ...

    def get(self, psn_no: str) -> Person | None: ...

    def relation(self, psn_no: str, relative_psn_no: str) -> Relation | None:
        """What relative_psn_no is to psn_no, if the records say."""


def _person(row: InsuredPerson) -> Person:
    return Person(
        psn_no=row.psn_no,
        psn_cert_type=row.psn_cert_type,
        certno=row.certno,
        psn_name=row.psn_name,
        gend=row.gend,
        brdy=row.brdy,
        insuinfo=tuple(
            Coverage(
                insutype=InsuType(c.insutype),
                psn_insu_stas=InsuStatus(c.psn_insu_stas),
                psn_insu_date=c.psn_insu_date,
                paus_insu_date=c.paus_insu_date,
                insuplc_admdvs=c.insuplc_admdvs,
                emp_name=c.emp_name,
                retired=c.retired,
            )
            for c in row.coverages
        ),
    )


class LocalRegistry:
    """The registry tables in our own database (filled by `flask seed-demo`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find_by_certno(self, certno: str) -> Person | None:
        row = self.session.scalar(
            sa.select(InsuredPerson).where(InsuredPerson.certno == certno.upper())
        )
        return _person(row) if row else None

    def get(self, psn_no: str) -> Person | None:
        row = self.session.get(InsuredPerson, psn_no)
        return _person(row) if row else None

    def relation(self, psn_no: str, relative_psn_no: str) -> Relation | None:
        found = self.session.scalar(
            sa.select(InsuredRelation.relation).where(
                InsuredRelation.psn_no == psn_no,
                InsuredRelation.relative_psn_no == relative_psn_no,
            )
        )
        return Relation(found) if found else None
