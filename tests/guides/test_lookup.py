"""Lookups: the city's guide first, the province's after, and which one answered."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.guides import lookup
from app.guides.kb import KnowledgeBase, MaterialChannel, Who
from app.guides.loader import load_knowledge_base


@pytest.fixture(scope="module")
def kb(fixture_knowledge: Path) -> KnowledgeBase:
    return load_knowledge_base(fixture_knowledge)


def test_city_guide_overrides_province(kb: KnowledgeBase) -> None:
    answer = lookup.find_guide(kb, "532300", "remote.retiree")
    assert answer.source_region == "532300"
    assert answer.guide.time_limit is not None
    assert answer.guide.time_limit.text == "3个工作日"


def test_province_guide_applies_where_the_city_is_silent(kb: KnowledgeBase) -> None:
    answer = lookup.find_guide(kb, "530100", "account.mutual-aid")
    assert (answer.region, answer.source_region) == ("530100", "530000")


def test_hunan_is_never_answered_from_yunnan(kb: KnowledgeBase) -> None:
    with pytest.raises(lookup.ServiceNotCovered) as raised:
        lookup.find_guide(kb, "430600", "account.mutual-aid")
    assert "岳阳市的办事指南没有收录" in raised.value.text


@pytest.mark.parametrize("name", ["玉溪", "玉溪市", "530400", "楚雄彝族自治州", "楚雄"])
def test_regions_by_code_or_name(kb: KnowledgeBase, name: str) -> None:
    assert lookup.resolve_region(kb, name) in {"530400", "532300"}


def test_unknown_region_and_service_suggest_close_matches(kb: KnowledgeBase) -> None:
    with pytest.raises(lookup.UnknownRegion) as region:
        lookup.resolve_region(kb, "楚雄州X")
    assert region.value.suggestions
    assert region.value.suggestions[0]["id"] == "532300"
    with pytest.raises(lookup.UnknownService) as service:
        lookup.find_guide(kb, "530000", "remote.retire")
    assert service.value.suggestions
    assert service.value.suggestions[0]["id"] == "remote.retiree"


def test_services_listing_merges_city_and_province(kb: KnowledgeBase) -> None:
    listings = {s.id: s.source_region for s in lookup.list_services(kb, "532300")}
    assert listings == {
        "account.mutual-aid": "530000",
        "remote.retiree": "532300",
        "remote.work": "530000",
        "info.agencies": "532300",
        "claim.inpatient": "532300",
    }
    assert [s.id for s in lookup.list_services(kb, "532300", query="共济")] == [
        "account.mutual-aid"
    ]
    assert lookup.list_services(kb, "532300", who=Who.EMPLOYER) == []


def test_materials_by_case_and_channel(kb: KnowledgeBase) -> None:
    everything = lookup.find_materials(kb, "530000", "account.mutual-aid")
    assert [m.name for m in everything.materials] == ["有效身份证件", "代办人有效身份证件"]
    assert everything.cases == ("委托他人办理",)
    online = lookup.find_materials(
        kb, "530000", "account.mutual-aid", channel=MaterialChannel.ONLINE
    )
    assert [m.name for m in online.materials] == ["有效身份证件"]
    with pytest.raises(lookup.UnknownCase):
        lookup.find_materials(kb, "530000", "account.mutual-aid", case="结婚")


def test_offices_by_service_and_county(kb: KnowledgeBase) -> None:
    offices = lookup.find_offices(kb, "532300", service="info.agencies", county="牟定")
    assert [o.phones for o in offices.offices] == [("0878-1000002",)]
    region_wide = lookup.find_offices(kb, "532300")
    assert [c.phones for c in region_wide.contacts] == [("0878-1000009",)]
    with pytest.raises(lookup.UnknownCounty):
        lookup.find_offices(kb, "532300", county="红塔区")
