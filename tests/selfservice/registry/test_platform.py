"""The provincial platform adapter against a local fake platform: fields, retries, a clear 503."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.selfservice.registry import platform
from app.selfservice.registry.platform import PlatformRegistry, RegistryUnavailable
from app.selfservice.registry.service import InsuType
from tests.fakes import QuietHandler, local_server

CERTNO = "530102198503150119"  # synthetic (the demo set's first person)
PERSON = {
    "baseinfo": {"psn_no": "P001", "psn_cert_type": "01", "certno": CERTNO,
                 "psn_name": "王测试", "gend": "1", "brdy": "1985-03-15"},
    "insuinfo": [
        {"insutype": "310", "psn_type": "1101", "psn_insu_stas": "1",
         "psn_insu_date": "2008-07-01", "insuplc_admdvs": "530100", "emp_name": "示例单位"},
        {"insutype": "390", "psn_type": "1400", "psn_insu_stas": "4",
         "psn_insu_date": "2001-01-01", "insuplc_admdvs": "530400"},
        {"insutype": "999", "psn_insu_stas": "1", "insuplc_admdvs": "530100"},
    ],
}  # fmt: skip
SCRIPT: list[tuple[int, dict[str, Any]]] = []  # (status, body) answered in turn
SEEN: list[dict[str, Any]] = []


class FakePlatform(QuietHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server names it)
        SEEN.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        status, body = SCRIPT.pop(0) if SCRIPT else (200, {"infcode": 0, "output": PERSON})
        self.answer(status, json.dumps(body, ensure_ascii=False).encode())


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with local_server(FakePlatform) as base:
        yield base


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    SCRIPT.clear()
    SEEN.clear()
    monkeypatch.setattr(platform.time, "sleep", lambda _: None)  # back-off without waiting


def test_a_person_with_one_row_per_insurance(base_url: str) -> None:
    person = PlatformRegistry(base_url).find_by_certno(CERTNO)
    assert person is not None
    assert person.psn_name == "王测试"
    employee = person.coverage(InsuType.EMPLOYEE)
    assert employee is not None
    assert (employee.insuplc_admdvs, employee.active) == ("530100", True)
    resident = person.coverage(InsuType.RESIDENT)
    assert resident is not None
    assert not resident.active
    assert len(person.insuinfo) == 2  # the unknown 险种 is left out
    assert SEEN[0]["infno"] == "1101"
    assert len(SEEN[0]["msgid"]) == 32


def test_every_call_has_its_own_msgid(base_url: str) -> None:
    registry = PlatformRegistry(base_url)
    registry.find_by_certno(CERTNO)
    registry.get("P001")
    assert SEEN[0]["msgid"] != SEEN[1]["msgid"]


def test_not_found_is_none(base_url: str) -> None:
    SCRIPT.append((200, {"infcode": -1, "err_msg": "未查询到该人员信息"}))
    assert PlatformRegistry(base_url).find_by_certno(CERTNO) is None


def test_server_errors_are_retried(base_url: str) -> None:
    SCRIPT.extend([(502, {}), (503, {})])
    assert PlatformRegistry(base_url).get("P001") is not None
    assert len(SEEN) == 3


def test_a_platform_that_stays_down_is_a_clear_503(base_url: str) -> None:
    SCRIPT.extend([(500, {})] * 3)
    with pytest.raises(RegistryUnavailable):
        PlatformRegistry(base_url).get("P001")
    with pytest.raises(RegistryUnavailable):
        PlatformRegistry("http://127.0.0.1:1").get("P001")


def test_other_refusals_are_not_mistaken_for_not_found(base_url: str) -> None:
    SCRIPT.append((200, {"infcode": -1, "err_msg": "签名校验失败"}))
    with pytest.raises(RegistryUnavailable):
        PlatformRegistry(base_url).get("P001")
