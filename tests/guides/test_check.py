"""`kb check` catches each kind of problem the issue names, on a broken copy of the fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.guides.check import run_check
from app.guides.cli import kb_cli
from app.id_numbers import is_valid_id_number

RETIREE = "guides/530000/remote.retiree.yaml"
CHUXIONG = "guides/532300/region.yaml"
LEXICON = "lexicon/services.yaml"


def _edit(base: Path, relative: str, old: str, new: str) -> None:
    path = base / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _messages(base: Path, seeds: Path) -> str:
    return "\n".join(str(p) for p in run_check(base, seeds).problems)


def test_the_fixture_base_is_clean(fixture_knowledge: Path, fixture_seeds: Path) -> None:
    report = run_check(fixture_knowledge, fixture_seeds)
    assert report.problems == []
    assert [where for where, _ in report.conflicts] == ["430600/cert.voucher.yaml"]


def _synthetic_id_number() -> str:
    """A made-up number with a valid check digit and birth date (area 110101, born 2000-01-01)."""
    body = "11010120000101123"
    return next(body + d for d in "0123456789X" if is_valid_id_number(body + d))


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        # a material, a time limit, a phone, an address not found in the cited lines
        (RETIREE, "  - name: 有效身份证件\n", "  - name: 户口簿\n", "material “户口簿”"),
        (RETIREE, "  text: 即时办结\n", "  text: 10个工作日\n", "time_limit “10个工作日”"),
        (CHUXIONG, '["0878-1000002"]', '["0878-1000003"]', "phone “0878-1000003”"),
        (CHUXIONG, "牟定县测试路2号", "牟定县测试路9号", "address “牟定县测试路9号"),
        # an address found, but not as printed: a citizen looks for 3号窗口, not 3 号窗口
        (CHUXIONG, "测试路2号3号窗口", "测试路 2 号 3 号窗口", "地址 “牟定县测试路 2 号 3 号窗口”"),
        # a phone found, but not as printed: the answer quotes it, the API gives it dialable
        (CHUXIONG, '["0878-1000002"]', '["0878—1000002"]', "电话 “0878—1000002”"),
        # a quote cited at the wrong lines, and lines past the end of the seed
        (RETIREE, "    source: [7, 7]", "    source: [9, 9]", "quote “退休后在异地定居"),
        (RETIREE, "source: [3, 14]", "source: [3, 400]", "超出 002_04dc996405fb5d7e.txt 的行数"),
        # an office table whose phones differ from this service's own copy of it
        ("guides/532300/info.agencies.yaml", "source: [14, 16]", "source: [14, 15]", "phone"),
        # personal data, masked or not
        (RETIREE, "summary: 退休", f"summary: {_synthetic_id_number()} 退休", "含有身份证号"),
        (RETIREE, "summary: 退休", "summary: 532301********0011 退休", "打码的身份证号"),
        (RETIREE, "summary: 退休", "summary: 联系 13800001234 退休", "手机号"),
        (RETIREE, "summary: 退休", "summary: 联系 someone@qq.com 退休", "个人电子邮箱"),
        (RETIREE, "summary: 退休", "summary: 李某某 退休", "打码的姓名"),
        (RETIREE, "summary: 退休", "summary: 张三丰 退休", "指南截图中的人名"),
        # traditional characters
        (RETIREE, "summary: 退休后", "summary: 退休後", "含繁体字"),
        # the lexicon, which a reload validates too: a key twice, a service not in the catalog
        (LEXICON, "remote.work:\n", "remote.retiree:\n", "重复"),
        (LEXICON, "cert.voucher:\n", "cert.vouchers:\n", "cert.vouchers"),
    ],
)
def test_each_problem_is_caught(
    knowledge_copy: Path, fixture_seeds: Path, relative: str, old: str, new: str, expected: str
) -> None:
    _edit(knowledge_copy, relative, old, new)
    assert expected in _messages(knowledge_copy, fixture_seeds)


def test_a_service_the_seed_covers_must_be_in_the_base(
    knowledge_copy: Path, fixture_seeds: Path
) -> None:
    (knowledge_copy / "guides/530000/account.mutual-aid.yaml").unlink()
    messages = _messages(knowledge_copy, fixture_seeds)
    assert "有“个人账户共济授权/解绑”一节，知识库缺这一事项" in messages


def test_without_seeds_it_says_so_and_skips_only_provenance(
    knowledge_copy: Path, tmp_path: Path
) -> None:
    _edit(knowledge_copy, RETIREE, "summary: 退休", "summary: 13800001234 退休")
    _edit(knowledge_copy, RETIREE, "  - name: 有效身份证件\n", "  - name: 户口簿\n")
    report = run_check(knowledge_copy, tmp_path / "missing")
    assert report.skipped
    assert "跳过出处" in report.skipped[0]
    messages = "\n".join(map(str, report.problems))
    assert "手机号" in messages
    assert "户口簿" not in messages


def test_cli_exit_codes_and_conflict_listing(
    fixture_knowledge: Path, knowledge_copy: Path, fixture_seeds: Path
) -> None:
    runner = CliRunner()
    args = ["check", "--seeds", str(fixture_seeds), "--knowledge"]
    clean = runner.invoke(kb_cli, [*args, str(fixture_knowledge), "--conflicts"])
    assert clean.exit_code == 0, clean.output
    assert "[time_limit] 测试用：同一事项两处时限不同。" in clean.output
    _edit(knowledge_copy, RETIREE, "  text: 即时办结\n", "  text: 10个工作日\n")
    broken = runner.invoke(kb_cli, [*args, str(knowledge_copy)])
    assert broken.exit_code == 1
    assert "1 problem(s)" in broken.output


def test_region_filter_reports_one_regions_files(knowledge_copy: Path, fixture_seeds: Path) -> None:
    _edit(knowledge_copy, RETIREE, "  text: 即时办结\n", "  text: 10个工作日\n")
    assert run_check(knowledge_copy, fixture_seeds, region="532300").problems == []
    assert run_check(knowledge_copy, fixture_seeds, region="530000").problems
