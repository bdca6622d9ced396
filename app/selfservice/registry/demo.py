"""Synthetic demo people for the embedded default: made-up names and checksum-valid made-up IDs.

They cover every case the flows tell apart: 职工 and 居民, retired, family ties for 共济, 生育保险
paid or not, several 参保地, a 岳阳 person. Nothing here is a real person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session
from stdnum.cn import ric

from app.selfservice.registry.models import InsuredCoverage, InsuredPerson, InsuredRelation
from app.selfservice.registry.service import InsuStatus, InsuType, Relation


def synthetic_certno(area: str, born: date, sequence: int) -> str:
    """An ID number with a valid birth date and check digit, for a person who does not exist."""
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    return body + str(ric.calc_check_digit(body))


@dataclass(frozen=True, slots=True)
class DemoCoverage:
    insutype: InsuType
    admdvs: str
    since: date
    status: InsuStatus = InsuStatus.PAYING
    emp_name: str | None = None
    retired: bool = False


@dataclass(frozen=True, slots=True)
class DemoPerson:
    psn_no: str
    psn_name: str
    gend: str
    area: str
    born: date
    sequence: int
    coverages: tuple[DemoCoverage, ...]

    @property
    def certno(self) -> str:
        return synthetic_certno(self.area, self.born, self.sequence)


EMPLOYEE, RESIDENT, MATERNITY = InsuType.EMPLOYEE, InsuType.RESIDENT, InsuType.MATERNITY
COMPANY = "示例科技有限公司（演示单位）"
PEOPLE = (
    DemoPerson("DEMO0001", "王测试", "1", "530102", date(1985, 3, 15), 11, (
        DemoCoverage(EMPLOYEE, "530100", date(2008, 7, 1), emp_name=COMPANY),
        DemoCoverage(MATERNITY, "530100", date(2008, 7, 1), emp_name=COMPANY),
    )),
    DemoPerson("DEMO0002", "李演示", "2", "530102", date(1987, 9, 2), 22, (
        DemoCoverage(RESIDENT, "530100", date(2012, 1, 1)),
    )),
    DemoPerson("DEMO0003", "王样例", "2", "530102", date(2015, 6, 1), 32, (
        DemoCoverage(RESIDENT, "530100", date(2015, 6, 10)),
    )),
    DemoPerson("DEMO0004", "王示范", "1", "530402", date(1955, 1, 20), 41, (
        DemoCoverage(EMPLOYEE, "530400", date(1995, 1, 1), retired=True),
    )),
    DemoPerson("DEMO0005", "赵测试", "1", "532301", date(1958, 11, 11), 51, (
        DemoCoverage(EMPLOYEE, "532300", date(1990, 5, 1), retired=True),
    )),
    DemoPerson("DEMO0006", "钱演示", "2", "530102", date(1992, 4, 8), 62, (
        DemoCoverage(EMPLOYEE, "530100", date(2016, 3, 1), emp_name=COMPANY),
        DemoCoverage(MATERNITY, "530100", date(2016, 3, 1), emp_name=COMPANY),
    )),
    DemoPerson("DEMO0007", "孙样例", "1", "530402", date(1990, 12, 30), 71, (
        DemoCoverage(EMPLOYEE, "530400", date(2015, 8, 1), emp_name=COMPANY),
        DemoCoverage(MATERNITY, "530400", date(2015, 8, 1), InsuStatus.PAUSED, COMPANY),
    )),
    DemoPerson("DEMO0008", "周测试", "1", "430602", date(1980, 2, 29), 81, (
        DemoCoverage(EMPLOYEE, "430600", date(2003, 9, 1), emp_name=COMPANY),
    )),
    DemoPerson("DEMO0009", "吴演示", "2", "532301", date(1983, 7, 7), 92, (
        DemoCoverage(RESIDENT, "530400", date(2010, 1, 1), InsuStatus.ENDED),
        DemoCoverage(EMPLOYEE, "532300", date(2019, 4, 1), emp_name=COMPANY),
    )),
)  # fmt: skip
# (person, relative, what the relative is to the person)
RELATIONS = (
    ("DEMO0001", "DEMO0002", Relation.SPOUSE),
    ("DEMO0002", "DEMO0001", Relation.SPOUSE),
    ("DEMO0001", "DEMO0003", Relation.CHILD),
    ("DEMO0003", "DEMO0001", Relation.PARENT),
    ("DEMO0001", "DEMO0004", Relation.PARENT),
    ("DEMO0004", "DEMO0001", Relation.CHILD),
)


def seed_people(session: Session) -> list[DemoPerson]:
    """Insert the demo people that are not there yet; running twice changes nothing."""
    added = []
    with session.begin():
        for person in PEOPLE:
            if session.get(InsuredPerson, person.psn_no) is not None:
                continue
            session.add(
                InsuredPerson(
                    psn_no=person.psn_no,
                    psn_cert_type="01",
                    certno=person.certno,
                    psn_name=person.psn_name,
                    gend=person.gend,
                    brdy=person.born,
                )
            )
            session.flush()
            for cover in person.coverages:
                session.add(
                    InsuredCoverage(
                        psn_no=person.psn_no,
                        insutype=cover.insutype.value,
                        psn_insu_stas=cover.status.value,
                        psn_insu_date=cover.since,
                        paus_insu_date=None,
                        insuplc_admdvs=cover.admdvs,
                        emp_name=cover.emp_name,
                        retired=cover.retired,
                    )
                )
            added.append(person)
        new = {p.psn_no for p in added}
        for psn_no, relative, relation in RELATIONS:
            if psn_no in new:
                session.add(
                    InsuredRelation(
                        psn_no=psn_no, relative_psn_no=relative, relation=relation.value
                    )
                )
    return added


def describe(person: DemoPerson) -> dict[str, object]:
    """One line of `seed-demo --json`."""
    employee = next((c for c in person.coverages if c.insutype is EMPLOYEE), None)
    return {
        "psn_no": person.psn_no,
        "certno": person.certno,
        "psn_name": person.psn_name,
        "insutype": [c.insutype.value for c in person.coverages if c.status is InsuStatus.PAYING],
        "insuplc_admdvs": {c.insutype.value: c.admdvs for c in person.coverages},
        "retired": bool(employee and employee.retired),
        "relatives": {rel: r.value for p, rel, r in RELATIONS if p == person.psn_no},
    }
