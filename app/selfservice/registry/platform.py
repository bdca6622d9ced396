"""The provincial 医保信息平台 as an InsuredRegistry: transaction 1101 (人员信息获取) over HTTP.

Every call carries a unique msgid. Connection errors, timeouts and 5xx are retried with back-off;
then the caller gets a clear 503, as does an answer that is not the shape the transaction promises.
The platform's field names pass through unchanged.

Family relations (共济): the national interface has no kinship transaction. 1101's `idetinfo` is
the person's 人员身份 (低保, 优抚 …), not family ties, so it cannot answer. The province's 家庭共济
module checks kinship against the 公安/民政 data it shares, and we call it through the same envelope
as `relation_infno` (REGISTRY_RELATION_INFNO): input `psn_no`, output `fmlinfo[]` {`psn_no`,
`rlts`} with `rlts` in the 共济 guides' words (配偶, 父母 …). The province gives the number at
integration; without it, kinship cannot be checked online and the citizen is sent to a counter.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import date
from typing import Any

import requests

from app.errors import DomainError, Kind
from app.selfservice.registry.service import Coverage, InsuStatus, InsuType, Person, Relation

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = (2.0, 5.0)
RETRIES = 2
NOT_FOUND_MESSAGES = ("未查询到", "无此人", "不存在")


class RegistryUnavailable(DomainError):
    kind, code = Kind.UNAVAILABLE, "registry_unavailable"
    message = "医保信息平台暂时无法访问，请稍后再试。"


class RelationCheckUnavailable(DomainError):
    kind, code = Kind.UNAVAILABLE, "relation_check_unavailable"
    message = "亲属关系核验暂不能在线办理，请携带户口簿到医保窗口办理。"


class MalformedAnswer(Exception):
    """The platform answered, but not in the shape its transaction promises."""


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _person(output: dict[str, Any]) -> Person:
    try:
        return _read_person(output)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise MalformedAnswer(f"1101 output: {error!r}") from error


def _read_person(output: dict[str, Any]) -> Person:
    base = output["baseinfo"]
    coverages = []
    for row in output.get("insuinfo") or []:
        try:
            insutype, status = InsuType(str(row["insutype"])), InsuStatus(str(row["psn_insu_stas"]))
        except ValueError:
            continue  # 险种 this service does not handle (e.g. 大病, 公务员补助)
        coverages.append(
            Coverage(
                insutype=insutype,
                psn_insu_stas=status,
                psn_insu_date=_date(row.get("psn_insu_date")) or date.min,
                paus_insu_date=_date(row.get("paus_insu_date")),
                insuplc_admdvs=str(row["insuplc_admdvs"]),
                emp_name=row.get("emp_name"),
                retired=str(row.get("psn_type", "")).startswith("12"),  # 12xx 退休人员
            )
        )
    return Person(
        psn_no=str(base["psn_no"]),
        psn_cert_type=str(base.get("psn_cert_type", "01")),
        certno=str(base["certno"]),
        psn_name=str(base["psn_name"]),
        gend=str(base.get("gend", "")),
        brdy=_date(base.get("brdy")) or date.min,
        insuinfo=tuple(coverages),
    )


def _relation(output: dict[str, Any], relative_psn_no: str) -> Relation | None:
    try:
        rows = output.get("fmlinfo") or []
        named = [str(row["rlts"]) for row in rows if str(row["psn_no"]) == relative_psn_no]
    except (KeyError, TypeError, AttributeError) as error:
        raise MalformedAnswer(f"family lookup output: {error!r}") from error
    return next((Relation(text) for text in named if text in set(Relation)), None)


class PlatformRegistry:
    """Reads people and their family relations from the provincial platform."""

    def __init__(self, base_url: str, *, relation_infno: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.relation_infno = relation_infno

    def _call(self, infno: str, data: dict[str, str]) -> dict[str, Any] | None:
        answer = self._post(infno, data)
        if not isinstance(answer, dict):
            log.warning("platform %s answered a %s, not an object", infno, type(answer).__name__)
            raise RegistryUnavailable
        if str(answer.get("infcode")) == "0":
            output = answer.get("output")
            if not isinstance(output, dict):
                log.warning("platform %s answered without an output object", infno)
                raise RegistryUnavailable
            return output
        if any(word in str(answer.get("err_msg", "")) for word in NOT_FOUND_MESSAGES):
            return None
        log.warning("platform %s refused: %s", infno, answer.get("err_msg"))
        raise RegistryUnavailable

    def _post(self, infno: str, data: dict[str, str]) -> Any:
        body = {"infno": infno, "msgid": uuid.uuid4().hex, "input": {"data": data}}
        for attempt in range(RETRIES + 1):
            try:
                response = requests.post(
                    f"{self.base_url}/{infno}", json=body, timeout=TIMEOUT_SECONDS
                )
                if response.status_code < 500:
                    return response.json()
            except (requests.RequestException, ValueError) as error:
                log.warning("platform %s attempt %d failed: %s", infno, attempt + 1, error)
            if attempt == RETRIES:
                break
            time.sleep(0.2 * 2**attempt)
        raise RegistryUnavailable

    def _read(self, infno: str, data: dict[str, str]) -> Person | None:
        output = self._call(infno, data)
        try:
            return _person(output) if output else None
        except MalformedAnswer as error:
            log.warning("platform %s answered malformed: %s", infno, error)
            raise RegistryUnavailable from error

    def find_by_certno(self, certno: str) -> Person | None:
        return self._read(
            "1101",
            {
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": certno,
                "psn_cert_type": "01",
                "certno": certno,
            },
        )

    def get(self, psn_no: str) -> Person | None:
        return self._read("1101", {"psn_no": psn_no})

    def relation(self, psn_no: str, relative_psn_no: str) -> Relation | None:
        if self.relation_infno is None:
            raise RelationCheckUnavailable
        try:
            output = self._call(self.relation_infno, {"psn_no": psn_no})
        except RegistryUnavailable as error:
            raise RelationCheckUnavailable from error
        try:
            return _relation(output, relative_psn_no) if output else None
        except MalformedAnswer as error:
            log.warning("platform %s answered malformed: %s", self.relation_infno, error)
            raise RelationCheckUnavailable from error
