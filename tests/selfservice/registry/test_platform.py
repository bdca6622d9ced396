"""The provincial platform adapter against a local fake platform: fields, retries, a clear 503."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.selfservice.registry import platform
from app.selfservice.registry.platform import (
    PlatformRegistry,
    RegistryUnavailable,
    RelationCheckUnavailable,
)
from app.selfservice.registry.service import InsuType, Relation
from tests.conftest import assert_error_shape
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


FAMILY = {"fmlinfo": [{"psn_no": "P002", "rlts": "配偶"}, {"psn_no": "P009", "rlts": "同事"}]}


def test_a_relation_comes_from_the_provinces_family_lookup(base_url: str) -> None:
    SCRIPT.extend([(200, {"infcode": 0, "output": FAMILY})] * 3)
    registry = PlatformRegistry(base_url, relation_infno="9999")
    assert registry.relation("P001", "P002") is Relation.SPOUSE
    assert registry.relation("P001", "P009") is None  # not one of the 共济 relations
    assert registry.relation("P001", "P003") is None  # not in the family at all
    assert SEEN[0]["infno"] == "9999"
    assert SEEN[0]["input"]["data"] == {"psn_no": "P001"}


def test_without_the_provinces_number_kinship_is_not_checked_online(base_url: str) -> None:
    with pytest.raises(RelationCheckUnavailable):
        PlatformRegistry(base_url).relation("P001", "P002")
    assert SEEN == []  # nothing was sent on a guessed transaction number


@pytest.mark.parametrize(
    "answer",
    [
        ["not", "an", "object"],
        {"infcode": 0},
        {"infcode": 0, "output": []},
        {"infcode": 0, "output": {"insuinfo": []}},  # no baseinfo
        {"infcode": 0, "output": {"baseinfo": {"psn_no": "P001"}}},  # no certno, psn_name
        {
            "infcode": 0,
            "output": {**PERSON, "insuinfo": [{"insutype": "310", "psn_insu_stas": "1"}]},
        },
        {"infcode": 0, "output": {**PERSON, "insuinfo": ["310"]}},
    ],
)
def test_a_malformed_person_answer_is_a_clear_503(base_url: str, answer: Any) -> None:
    SCRIPT.append((200, answer))
    with pytest.raises(RegistryUnavailable):
        PlatformRegistry(base_url).get("P001")


@pytest.mark.parametrize(
    "answer", [[1], {"infcode": 0, "output": {"fmlinfo": [{"rlts": "配偶"}]}}, {"infcode": 0}]
)
def test_a_malformed_relation_answer_is_a_clear_503(base_url: str, answer: Any) -> None:
    SCRIPT.append((200, answer))
    with pytest.raises(RelationCheckUnavailable):
        PlatformRegistry(base_url, relation_infno="9999").relation("P001", "P002")


def test_mutual_aid_works_against_the_platform(db_app: Any, base_url: str) -> None:
    from app.selfservice.registry.demo import PEOPLE
    from tests.factories import citizen_headers

    spouse = PEOPLE[1]
    authoriser_info = {**PERSON, "baseinfo": {**PERSON["baseinfo"], "psn_no": "DEMO0001"}}
    spouse_info = {
        "baseinfo": {"psn_no": spouse.psn_no, "certno": spouse.certno, "psn_name": spouse.psn_name},
        "insuinfo": [{"insutype": "390", "psn_insu_stas": "1", "insuplc_admdvs": "530100"}],
    }
    family = {"fmlinfo": [{"psn_no": spouse.psn_no, "rlts": "配偶"}]}
    SCRIPT.extend(
        (200, {"infcode": 0, "output": output}) for output in (authoriser_info, spouse_info, family)
    )
    me = citizen_headers(db_app, openid="pf1", psn_no="DEMO0001")
    saved = db_app.config["REGISTRY_URL"]
    db_app.config.update(REGISTRY_URL=base_url, REGISTRY_RELATION_INFNO="9999")
    try:
        response = db_app.test_client().post(
            "/api/v1/mutual-aid/bindings",
            json={"user_name": spouse.psn_name, "user_certno": spouse.certno, "pledge": True},
            headers=me,
        )
        SCRIPT.append((200, {"infcode": 0, "output": {"baseinfo": {}}}))
        broken = db_app.test_client().post(
            "/api/v1/mutual-aid/bindings",
            json={"user_name": spouse.psn_name, "user_certno": spouse.certno, "pledge": True},
            headers=me,
        )
    finally:
        db_app.config.update(REGISTRY_URL=saved, REGISTRY_RELATION_INFNO=None)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["relation"] == "配偶"
    assert broken.status_code == 503, broken.get_json()
    assert_error_shape(broken.get_json())
