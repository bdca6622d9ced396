"""Loading the base: typed values, every problem listed with where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.guides.kb import MaterialChannel, MaterialForm, Who
from app.guides.loader import (
    KnowledgeBaseError,
    LiveKnowledgeBase,
    load_knowledge_base,
    read_knowledge_base,
)


def test_fixture_base_loads_into_typed_values(fixture_knowledge: Path) -> None:
    kb = load_knowledge_base(fixture_knowledge)
    guide = kb.guides[("530000", "account.mutual-aid")]
    assert guide.who is Who.PERSON
    proxy = guide.materials[1]
    assert proxy.case == "委托他人办理"
    assert proxy.channel is MaterialChannel.ONSITE
    assert proxy.form is MaterialForm.ORIGINAL
    assert proxy.source.seed == "002_04dc996405fb5d7e.txt"
    assert proxy.source.lines == (19, 19)
    assert guide.time_limit is not None
    assert guide.time_limit.instant


def test_ancestry_runs_city_to_province_and_hunan_stands_alone(fixture_knowledge: Path) -> None:
    kb = load_knowledge_base(fixture_knowledge)
    assert kb.ancestry("530100") == ("530100", "530000")
    assert kb.ancestry("430600") == ("430600",)


def test_office_table_reference_resolves(fixture_knowledge: Path) -> None:
    kb = load_knowledge_base(fixture_knowledge)
    guide = kb.guides[("532300", "info.agencies")]
    offices = kb.offices_of(guide, "532300")
    assert [o.phones for o in offices] == [("0878-1000001",), ("0878-1000002",)]


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_every_problem_is_listed_with_its_place(knowledge_copy: Path) -> None:
    _write(
        knowledge_copy / "guides/530000/remote.retiree.yaml",
        """service: remote.retiree
region: "530000"
name: 异地安置退休人员备案
who: 单位
summary: 测试
source: [3, 14]
colour: red
materials:
  - name: 有效身份证件
    form: photocopy
    copies: "two"
    source: [9, 9]
  - name: 123
    source: [10, 9]
time_limit:
  statutory_days: 5
""",
    )
    _, problems = read_knowledge_base(knowledge_copy)
    text = "\n".join(map(str, problems))
    assert "colour: 未知字段" in text
    assert "materials[0].form" in text
    assert "materials[0].copies" in text
    assert "materials[1].name" in text
    assert "materials[1].source" in text
    assert "time_limit.text: 缺少必填字段" in text
    assert "time_limit.source: 缺少必填字段" in text
    assert "who: catalog.tsv 写的是 个人" in text


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("guides/530000/no.such.service.yaml", "service: no.such.service\n", "不在 catalog.tsv"),
        ("guides/999999/region.yaml", "code: '999999'\n", "不是 regions.tsv 中的地区代码"),
        ("guides/530000/claim.inpatient.yaml", "service: [unclosed\n", "YAML 无法解析"),
        (
            "guides/530000/claim.inpatient.yaml",
            "service: claim.inpatient\nservice: claim.outpatient\n",
            "键 'service' 重复",
        ),
        (
            "guides/530000/claim.inpatient.yaml",
            "service: remote.work\nregion: '530000'\nname: x\nsummary: x\nsource: [1, 1]\n",
            "应与文件名一致",
        ),
        (
            "guides/530000/claim.inpatient.yaml",
            "service: claim.inpatient\nregion: '530000'\nname: x\nsummary: x\n"
            "source: [1, 1]\noffices_table: {table: nowhere, source: [1, 1]}\n",
            "offices_table 'nowhere' 未在 region.yaml 定义",
        ),
        (
            "guides/430600/cert.voucher.yaml",
            "service: cert.voucher\nregion: '430600'\nname: x\nsummary: x\nsource: [1, 1]\n"
            "national_code: '002036009999'\n",
            "catalog.tsv 写的是 002036003001",
        ),
        (
            "guides/530000/claim.inpatient.yaml",
            "service: claim.inpatient\nregion: '530000'\nname: x\nsummary: x\nsource: [1, 1]\n"
            "variants:\n  - {id: Same, name: a, source: [1, 1]}\n",
            "id 应为唯一的小写 kebab-case",
        ),
    ],
)
def test_referential_problems(knowledge_copy: Path, path: str, text: str, expected: str) -> None:
    target = knowledge_copy / path
    target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, text)
    _, problems = read_knowledge_base(knowledge_copy)
    assert any(expected in str(p) for p in problems), problems


def test_serving_refuses_a_broken_base(knowledge_copy: Path) -> None:
    _write(knowledge_copy / "guides/530000/region.yaml", "code: '530000'\n")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(knowledge_copy)
    assert raised.value.problems


def test_reload_swaps_the_base_and_keeps_the_old_one_on_error(knowledge_copy: Path) -> None:
    live = LiveKnowledgeBase(knowledge_copy)
    first = live.current
    assert live.reload() is not first
    second = live.current
    _write(knowledge_copy / "guides/530000/remote.retiree.yaml", "service: [\n")
    with pytest.raises(KnowledgeBaseError):
        live.reload()
    assert live.current is second


def test_parsed_yaml_is_cached_and_a_change_is_seen(knowledge_copy: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = load_knowledge_base(knowledge_copy, cache_dir=cache_dir)
    [cache] = cache_dir.glob("kb-*.json")
    again = load_knowledge_base(knowledge_copy, cache_dir=cache_dir)
    assert again.version == first.version
    assert again.guides == first.guides
    retiree = knowledge_copy / "guides/530000/remote.retiree.yaml"
    retiree.write_text(
        retiree.read_text(encoding="utf-8").replace("summary:", "summary: 改过的说明。\nx:", 1),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError):  # the edit is read, not the cached parse
        load_knowledge_base(knowledge_copy, cache_dir=cache_dir)
    assert [p.name for p in cache_dir.glob("kb-*.json")] != [cache.name]  # kept per content


def test_an_unreadable_cache_is_ignored(knowledge_copy: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    expected = load_knowledge_base(knowledge_copy, cache_dir=cache_dir)
    for cache in cache_dir.glob("kb-*.json"):
        cache.write_text("{not json", encoding="utf-8")
    assert load_knowledge_base(knowledge_copy, cache_dir=cache_dir).guides == expected.guides
