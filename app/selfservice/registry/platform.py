"""The provincial 医保信息平台 as an InsuredRegistry: transaction 1101 (人员信息获取) over HTTP.

Every call carries a unique msgid. Connection errors, timeouts and 5xx are retried with back-off;
then the caller gets a clear 503. The platform's field names pass through unchanged.
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


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _person(output: dict[str, Any]) -> Person:
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


class PlatformRegistry:
    """Reads people from the provincial platform; family relations are checked at the counter."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def _call(self, infno: str, data: dict[str, str]) -> dict[str, Any] | None:
        body = {"infno": infno, "msgid": uuid.uuid4().hex, "input": {"data": data}}
        for attempt in range(RETRIES + 1):
            try:
                response = requests.post(
                    f"{self.base_url}/{infno}", json=body, timeout=TIMEOUT_SECONDS
                )
                if response.status_code < 500:
                    answer: dict[str, Any] = response.json()
                    break
            except (requests.RequestException, ValueError) as error:
                log.warning("platform %s attempt %d failed: %s", infno, attempt + 1, error)
            if attempt == RETRIES:
                raise RegistryUnavailable
            time.sleep(0.2 * 2**attempt)
        if str(answer.get("infcode")) == "0":
            return answer.get("output")
        if any(word in str(answer.get("err_msg", "")) for word in NOT_FOUND_MESSAGES):
            return None
        log.warning("platform %s refused: %s", infno, answer.get("err_msg"))
        raise RegistryUnavailable

    def find_by_certno(self, certno: str) -> Person | None:
        output = self._call(
            "1101",
            {
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": certno,
                "psn_cert_type": "01",
                "certno": certno,
            },
        )
        return _person(output) if output else None

    def get(self, psn_no: str) -> Person | None:
        output = self._call("1101", {"psn_no": psn_no})
        return _person(output) if output else None

    def relation(self, psn_no: str, relative_psn_no: str) -> Relation | None:
        raise RelationCheckUnavailable
