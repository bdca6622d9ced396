"""`kb check`: the knowledge base against its schema, the catalog, the seeds, and personal data.

Every fact whose text can be compared (a material, a time limit, a phone, an address, a quote, a
form's name, a URL) must be found, normalised, inside the seed lines it cites. A catalog service
whose name heads a section of a seed must have a record for that seed's region. Nothing personal
(ID numbers, mobiles, e-mail addresses, the names the seeds print next to ID numbers) may appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.bot.lexicon import read_lexicon
from app.chinese_text import match_key, to_simplified
from app.guides.kb import (
    Conflict,
    Details,
    KnowledgeBase,
    Office,
    Provenance,
    Region,
    ServiceGuide,
)
from app.guides.loader import Problem, read_knowledge_base
from app.id_numbers import ID_NUMBER, is_valid_id_number

MASKED_ID = re.compile(r"\d{6}\*{4,}\d{3}[\dXx*]")
MOBILE = re.compile(r"(?<![\d-])1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
OFFICIAL_MAIL = re.compile(r"@([\w-]+\.)*gov\.cn$")
MASKED_NAME = re.compile(r"[\u4e00-\u9fff]某某")
NAME_CELL = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# The next cell of a screenshot's table is often the form's next label, not a person's name.
FIELD_LABEL = re.compile(r"(姓名|性别|类型|时间|日期|号码|电话|地址|名称|编号|代码|状态|民族)$")
HEADING_NUMBER = re.compile(r"^[\s\d一二三四五六七八九十百()（）、.．·]+")


# Facts a citizen copies down, dials or looks for on the door: as their own line prints them (a
# copy of a table elsewhere in the seed may print them otherwise, and is compared by key only).
_AS_PRINTED = {"address": "地址", "phone": "电话"}


@dataclass(slots=True)
class SeedText:
    """One seed file: its lines and their match keys, so a range's key is a cheap join."""

    lines: list[str]
    keys: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> SeedText:
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls(lines, [match_key(line) for line in lines])

    def contains(self, source: Provenance, text: str) -> bool:
        first, last = source.lines
        return match_key(text) in "".join(self.keys[first - 1 : last])

    def prints(self, source: Provenance, text: str) -> bool:
        """The text as the lines print it, spaces and brackets too: what a citizen copies down
        and looks for on the door."""
        first, last = source.lines
        return text in "\n".join(self.lines[first - 1 : last])


@dataclass(slots=True)
class Report:
    """What `kb check` found."""

    problems: list[Problem] = field(default_factory=list)
    conflicts: list[tuple[str, Conflict]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))


def _checkable_texts(details: Details) -> Iterator[tuple[str, Provenance, str]]:
    """(what, where, text) for every fact of details whose text must stand in its source lines."""
    for material in details.materials:
        yield "material", material.source, material.quote or material.name
    if details.time_limit is not None:
        yield "time_limit", details.time_limit.source, details.time_limit.text
    if details.acceptance_window is not None:
        window = details.acceptance_window
        yield "acceptance_window", window.source, window.quote or window.text
    for group in (details.conditions, details.steps, details.validity, details.notes):
        yield from (("quote", fact.source, fact.quote) for fact in group if fact.quote)
    if details.fees is not None and details.fees.quote:
        yield "fees", details.fees.source, details.fees.quote
    for form in details.forms:
        yield "form", form.source, form.name
    for channel in details.channels:
        if channel.url:
            yield "channel url", channel.source, channel.url
    for office in details.offices:
        yield from _office_texts(office, office.source)


def _office_texts(
    office: Office, source: Provenance, *, copy: bool = False
) -> Iterator[tuple[str, Provenance, str]]:
    if office.address:
        yield "address in a copy of its table" if copy else "address", source, office.address
    for phone in office.phones:
        yield "phone in a copy of its table" if copy else "phone", source, phone


def _region_texts(region: Region) -> Iterator[tuple[str, Provenance, str]]:
    for contact in region.contacts:
        if contact.address:
            yield "address", contact.source, contact.address
        yield from (("phone", contact.source, phone) for phone in contact.phones)
    for offices in region.office_tables.values():
        for office in offices:
            yield from _office_texts(office, office.source)
    for channel in region.channels:
        if channel.url:
            yield "channel url", channel.source, channel.url


def _guide_texts(kb: KnowledgeBase, guide: ServiceGuide) -> Iterator[tuple[str, Provenance, str]]:
    for details in (guide, *guide.variants):
        yield from _checkable_texts(details)
        ref = details.offices_table
        if ref is not None:
            # The service's own copy of the table must carry the same phones and addresses, if
            # printed otherwise (（ or (, spaced or not): the answer gives the table's own print.
            for office in kb.offices_of(details, guide.region):
                yield from _office_texts(office, ref.source, copy=True)


def _provenances(guide: ServiceGuide) -> Iterator[Provenance]:
    """Every source a guide cites (for the bounds check), conflicts included."""
    if guide.source is not None:
        yield guide.source
    yield from (variant.source for variant in guide.variants if variant.source is not None)
    for details in (guide, *guide.variants):
        yield from (where for _, where, _ in _checkable_texts(details))
        yield from (fact.source for fact in (*details.conditions, *details.steps, *details.notes))
        yield from (fact.source for fact in details.validity)
        if details.offices_table is not None:
            yield details.offices_table.source
    for conflict in guide.conflicts:
        yield from conflict.sources


class Checker:
    """Runs every check over one loaded base and the seeds directory."""

    def __init__(self, kb: KnowledgeBase, seeds_dir: Path, report: Report) -> None:
        self.kb, self.report = kb, report
        self.seeds: dict[str, SeedText] = {}
        if not seeds_dir.is_dir():
            report.skipped.append(
                f"找不到指南原文目录 {seeds_dir}（设置 SEEDS_DIR 或 --seeds）："
                "跳过出处、覆盖和姓名核对，其余照常检查。"
            )
            return
        for code in kb.region_codes.values():
            if code.seed and (seeds_dir / code.seed).is_file():
                self.seeds[code.seed] = SeedText.read(seeds_dir / code.seed)
            elif code.seed:
                report.add(code.code, f"指南原文 {code.seed} 不在 {seeds_dir}")

    def _in_bounds(self, where: str, source: Provenance) -> bool:
        seed = self.seeds.get(source.seed)
        if seed is None:
            self.report.add(where, f"出处文件 {source.seed} 不存在")
            return False
        if source.lines[1] > len(seed.lines):
            self.report.add(where, f"出处行号 {list(source.lines)} 超出 {source.seed} 的行数")
            return False
        return True

    def _texts(self, where: str, texts: Iterator[tuple[str, Provenance, str]]) -> None:
        for what, source, text in texts:
            if not self._in_bounds(where, source):
                continue
            seed, lines = self.seeds[source.seed], list(source.lines)
            if not seed.contains(source, text):
                self.report.add(where, f"{what} “{text}” 在 {source.seed} 第 {lines} 行中找不到")
            elif what in _AS_PRINTED and not seed.prints(source, text):
                self.report.add(
                    where, f"{_AS_PRINTED[what]} “{text}” 与 {source.seed} 第 {lines} 行印的不一样"
                )

    def provenance(self) -> None:
        """Cited texts stand in the cited lines; every range lies inside its seed."""
        if not self.seeds:
            return
        for code, region in self.kb.regions.items():
            self._in_bounds(f"{code}/region.yaml", region.source)
            self._texts(f"{code}/region.yaml", _region_texts(region))
            for conflict in region.conflicts:
                for source in conflict.sources:
                    self._in_bounds(f"{code}/region.yaml conflicts", source)
        for (code, service), guide in self.kb.guides.items():
            where = f"{code}/{service}.yaml"
            for source in _provenances(guide):
                self._in_bounds(where, source)
            self._texts(where, _guide_texts(self.kb, guide))

    def coverage(self) -> None:
        """A catalog service whose name heads a line of a seed must be in that region's base."""
        names = {service: match_key(entry.name) for service, entry in self.kb.catalog.items()}
        for code, entry in self.kb.region_codes.items():
            seed = self.seeds.get(entry.seed or "")
            if seed is None:
                continue
            headings = {match_key(HEADING_NUMBER.sub("", line)) for line in seed.lines}
            for service, name in names.items():
                found = any(heading.startswith(name) for heading in headings if heading)
                if found and (code, service) not in self.kb.guides:
                    self.report.add(
                        f"{code}/{service}.yaml",
                        f"{entry.seed} 有“{self.kb.catalog[service].name}”一节，知识库缺这一事项",
                    )

    def personal_names(self) -> set[str]:
        """Names the seeds print beside ID numbers or after 姓名: to keep out of the base."""
        names: set[str] = set()
        for seed in self.seeds.values():
            for line in seed.lines:
                cells = [cell.strip() for cell in line.split("\t")]
                for i, cell in enumerate(cells[:-1]):
                    nearby = cells[i + 1]
                    is_id = bool(MASKED_ID.search(cell) or ID_NUMBER.search(cell))
                    if (is_id or cell == "姓名") and NAME_CELL.match(nearby):
                        names.add(nearby)
        return {name for name in names if not FIELD_LABEL.search(name)}


def personal_data_in(text: str, names: set[str]) -> Iterator[str]:
    """What in text looks personal: ID numbers (valid or masked), mobiles, private mail, names."""
    for number in ID_NUMBER.findall(text):
        if is_valid_id_number(number):
            yield f"含有身份证号 {number[:6]}…"
    for pattern, label in ((MASKED_ID, "打码的身份证号"), (MOBILE, "手机号")):
        yield from (f"含有{label} {found[:3]}…" for found in pattern.findall(text))
    for mail in EMAIL.findall(text):
        if not OFFICIAL_MAIL.search(mail):
            yield "含有个人电子邮箱"
    yield from (f"含有打码的姓名（{masked[0]}某某）" for masked in MASKED_NAME.findall(text))
    yield from (f"含有指南截图中的人名“{name[0]}…”" for name in sorted(names) if name in text)


def check_personal_data(files: list[Path], names: set[str], report: Report) -> None:
    """Nothing personal in any of the base's files."""
    for path in files:
        for message in personal_data_in(path.read_text(encoding="utf-8"), names):
            report.add(str(path), message)


def check_simplified(files: list[Path], report: Report) -> None:
    """Text is stored simplified: opencc t2s must change nothing."""
    for path in files:
        text = path.read_text(encoding="utf-8")
        converted = to_simplified(text)
        if converted != text:
            changed = sorted({a for a, b in zip(text, converted, strict=False) if a != b})
            report.add(str(path), f"含繁体字：{''.join(changed[:20])}（请用 opencc 转成简体）")


def run_check(knowledge_dir: Path, seeds_dir: Path, *, region: str | None = None) -> Report:
    """Every check over knowledge_dir; `region` narrows the report to one region's files."""
    report = Report()
    kb, problems = read_knowledge_base(knowledge_dir)
    report.problems.extend(problems)
    # The lexicon is reloaded with the base: a problem in it rejects the reload too.
    _, problems = read_lexicon(knowledge_dir / "lexicon", set(kb.catalog), kb.sub_item_names())
    report.problems.extend(problems)
    checker = Checker(kb, seeds_dir, report)
    checker.provenance()
    checker.coverage()
    files = sorted((knowledge_dir / "guides").rglob("*.yaml"))
    check_personal_data(files, checker.personal_names(), report)
    check_simplified(files, report)
    for code, entry in kb.regions.items():
        report.conflicts.extend((f"{code}/region.yaml", c) for c in entry.conflicts)
    for (code, service), guide in kb.guides.items():
        report.conflicts.extend((f"{code}/{service}.yaml", c) for c in guide.conflicts)
    if region is not None:
        mine = f"/{region}/"
        report.problems = [
            p for p in report.problems if mine in f"/{p.where}" or p.where.startswith(f"{region}/")
        ]
        report.conflicts = [c for c in report.conflicts if c[0].startswith(f"{region}/")]
    return report
