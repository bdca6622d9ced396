"""The national division table (python-stdnum's): current names, containment, what lies within."""

from __future__ import annotations

from app.divisions import contains, counties_within, division


def test_a_renamed_division_has_its_current_name() -> None:
    found = division("430602")
    assert found is not None
    assert found.name == "岳阳楼区"  # 南区 until 1995


def test_the_counties_within_a_city_are_its_current_ones() -> None:
    names = [d.name for d in counties_within("430600")]
    assert {"临湘市", "平江县"} <= set(names)
    assert "临湘县" not in names  # abolished in 1992, when it became 临湘市
    assert "市辖区" not in names
    assert all(contains("430600", d.code) for d in counties_within("430600"))


def test_the_counties_within_a_province_are_every_citys() -> None:
    codes = {d.code for d in counties_within("530000")}
    assert {"532322", "530402", "532503"} <= codes  # 双柏县, 红塔区, 蒙自市
    assert not any(code.endswith("00") for code in codes)
