"""Load knowledge/ (YAML and the two TSV tables) into a KnowledgeBase, listing every problem."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import logging
import os
import re
import types
import typing
from collections.abc import Hashable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.guides.kb import (
    CatalogEntry,
    KnowledgeBase,
    Provenance,
    Region,
    RegionCode,
    ServiceGuide,
    Variant,
    Who,
)

log = logging.getLogger(__name__)
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_FastLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a mapping that repeats a key: YAML keeps the last one silently,
    so a curator's second entry (死亡 listed twice among the synonyms) would wipe out the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the safe loader refuses it, in its own words
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "在这个映射中", node.start_mark, f"键 {key!r} 重复", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_Record = typing.TypeVar("_Record")
VARIANT_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NATIONAL_CODE = re.compile(r"^\d{12}$")
REQUIRED = {
    ServiceGuide: ("service", "region", "name", "summary", "source"),
    Variant: ("id", "name", "source"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the knowledge base: where, and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base does not load; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the knowledge base")
        self.problems = problems


@dataclass(slots=True)
class _Context:
    """What the converter needs beside the value: the file's seed and where problems go."""

    seed: str
    problems: list[Problem]
    file: str

    def report(self, path: str, message: str) -> None:
        self.problems.append(Problem(f"{self.file}:{path}" if path else self.file, message))


_INVALID: Any = object()


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(value: Any, hint: Any, path: str, ctx: _Context) -> Any:
    """Turn a YAML value into `hint`, reporting (not raising) what does not fit."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return None if value is None else _convert(value, options[0], path, ctx)
    if hint is Provenance:
        return _provenance(value, path, ctx)
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        if not isinstance(value, list):
            ctx.report(path, "应为列表 (expected a list)")
            return ()
        items = [_convert(item, item_hint, f"{path}[{i}]", ctx) for i, item in enumerate(value)]
        return tuple(item for item in items if item is not _INVALID)
    if origin is dict:
        value_hint = typing.get_args(hint)[1]
        if not isinstance(value, dict):
            ctx.report(path, "应为映射 (expected a mapping)")
            return {}
        return {str(k): _convert(v, value_hint, f"{path}.{k}", ctx) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return _dataclass(value, typing.cast(type, hint), path, ctx)
    return _scalar(value, hint, path, ctx)


def _scalar(value: Any, hint: Any, path: str, ctx: _Context) -> Any:
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        try:
            return hint(value)
        except ValueError:
            allowed = ", ".join(member.value for member in hint)
            ctx.report(path, f"{value!r} 不是允许的取值 (allowed: {allowed})")
            return _INVALID
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(value, str):
        if not value.strip():
            ctx.report(path, "不能为空字符串 (empty string)")
            return _INVALID
        return value
    expected = {str: "a string (quote numbers)", int: "a whole number", bool: "true or false"}
    ctx.report(path, f"类型不对: expected {expected.get(hint, hint)}, got {value!r}")
    return _INVALID


def _provenance(value: Any, path: str, ctx: _Context) -> Any:
    seed, lines = ctx.seed, value
    if isinstance(value, dict):
        seed, lines = value.get("seed", ctx.seed), value.get("lines")
        if set(value) - {"seed", "lines"}:
            ctx.report(path, "source 只能有 seed 和 lines")
    valid = (
        isinstance(lines, list)
        and len(lines) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in lines)
        and 1 <= lines[0] <= lines[1]
    )
    if not valid or not isinstance(seed, str):
        ctx.report(path, f"source 应为 [首行, 末行]，且首行 ≤ 末行: got {value!r}")
        return _INVALID
    return Provenance(seed=seed, lines=(lines[0], lines[1]))


def _dataclass(value: Any, cls: type, path: str, ctx: _Context) -> Any:
    if not isinstance(value, dict):
        ctx.report(path, f"应为映射 (expected a mapping for {cls.__name__})")
        return _INVALID
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for unknown in sorted(set(value) - set(fields), key=str):
        ctx.report(f"{path}.{unknown}".lstrip("."), "未知字段 (unknown field, see SCHEMA.md)")
    required = REQUIRED.get(cls, ())
    kwargs: dict[str, Any] = {}
    ok = True
    for name, spec in fields.items():
        where = f"{path}.{name}".lstrip(".")
        if name not in value or value[name] is None:
            no_default = spec.default is dataclasses.MISSING and (
                spec.default_factory is dataclasses.MISSING
            )
            if no_default or name in required:
                ctx.report(where, "缺少必填字段 (required)")
                ok = False
            continue
        converted = _convert(value[name], hints[name], where, ctx)
        if converted is _INVALID:
            ok = False
        else:
            kwargs[name] = converted
    return cls(**kwargs) if ok else _INVALID


def parse_record(
    raw: Any, cls: type[_Record], *, file: str, seed: str = ""
) -> tuple[_Record | None, list[Problem]]:
    """Any YAML value → an instance of the dataclass cls, or None and every problem found."""
    problems: list[Problem] = []
    record = _dataclass(raw, cls, "", _Context(seed=seed, problems=problems, file=file))
    return (None if record is _INVALID or problems else record), problems


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """A YAML file's value, or None and the parse error."""
    problems: list[Problem] = []
    return _parse_yaml(path, path.read_bytes(), problems), problems


def read_catalog(path: Path) -> dict[str, CatalogEntry]:
    """catalog.tsv → entries by id."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {
            row["id"]: CatalogEntry(
                id=row["id"],
                name=row["name"],
                who=Who(row["who"]),
                national_code=row["national_code"] or None,
                notes=row["notes"] or None,
            )
            for row in rows
        }


def read_region_codes(path: Path) -> dict[str, RegionCode]:
    """regions.tsv → region codes with their parents."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {
            row["code"]: RegionCode(
                code=row["code"],
                name=row["name"],
                parent=row["parent"] or None,
                seed=row["seed"] or None,
            )
            for row in rows
        }


def _parse_yaml(path: Path, content: bytes, problems: list[Problem]) -> Any:
    try:
        return yaml.load(content, Loader=_YamlLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        problems.append(Problem(str(path), f"YAML 无法解析: {error}"))
        return None


def _parse_all(
    contents: dict[str, bytes],
    root: Path,
    version: str,
    cache_dir: Path | None,
    problems: list[Problem],
) -> dict[str, Any]:
    """Every file's YAML value, by path relative to root.

    Parsing YAML is most of a start-up's load (≈0.3 s for the whole base; JSON ≈0.01 s), so with
    a cache_dir the values are kept as JSON under the files' digest and read back while no file
    has changed. A cache that cannot be read or written is ignored.
    """
    cache = cache_dir / f"kb-{version}.json" if cache_dir is not None else None
    if cache is not None and cache.is_file():
        try:
            cached = json.loads(cache.read_bytes())
        except ValueError:
            cached = None
        if isinstance(cached, dict) and cached.keys() == contents.keys():
            return cached
    before = len(problems)
    parsed = {name: _parse_yaml(root / name, data, problems) for name, data in contents.items()}
    if cache is not None and len(problems) == before:
        _write_cache(cache, parsed)
    return parsed


def _write_cache(cache: Path, parsed: dict[str, Any]) -> None:
    text = json.dumps(parsed, ensure_ascii=False)
    if json.loads(text) != parsed:  # a value JSON cannot hold as it is (a number as a key)
        return
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(cache)  # whole or not at all, also with several workers starting at once
        for old in cache.parent.glob("kb-*.json"):
            if old != cache:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.warning("knowledge-base cache not written (%s); parsing each start", error)


def _load_region(raw: Any, path: Path, code: RegionCode, problems: list[Problem]) -> Region | None:
    ctx = _Context(seed=code.seed or "", problems=problems, file=str(path))
    if not isinstance(raw, dict):
        ctx.report("", "region.yaml 应为映射")
        return None
    region = _dataclass({**raw, "parent": code.parent}, Region, "", ctx)
    if region is _INVALID:
        return None
    if region.code != code.code:
        ctx.report("code", f"应为目录名 {code.code}")
    if code.seed and region.seed != code.seed:
        ctx.report("seed", f"regions.tsv 给出的指南文件是 {code.seed}")
    return typing.cast(Region, region)


def _check_identity(
    raw: dict[str, Any], path: Path, catalog: dict[str, CatalogEntry], region: str, ctx: _Context
) -> None:
    """The fields that tie a record to its file and the catalog, checked even if the rest is bad."""
    service = raw.get("service")
    if service != path.stem:
        ctx.report("service", f"应与文件名一致 ({path.stem})")
    if raw.get("region") != region:
        ctx.report("region", f"应与目录名一致 ({region})")
    entry = catalog.get(str(service))
    if entry is None:
        ctx.report("service", f"{service} 不在 catalog.tsv 中")
        return
    if raw.get("who", entry.who.value) != entry.who.value:
        ctx.report("who", f"catalog.tsv 写的是 {entry.who.value}")
    code = raw.get("national_code")
    if code is not None and not (isinstance(code, str) and NATIONAL_CODE.match(code)):
        ctx.report("national_code", "应为 12 位数字")
    elif code and entry.national_code not in {None, code}:
        ctx.report("national_code", f"catalog.tsv 写的是 {entry.national_code}")


def _load_guide(
    raw: Any,
    path: Path,
    seed: str,
    catalog: dict[str, CatalogEntry],
    region: str,
    problems: list[Problem],
) -> ServiceGuide | None:
    ctx = _Context(seed=seed, problems=problems, file=str(path))
    if not isinstance(raw, dict):
        if raw is not None:
            ctx.report("", "应为映射")
        return None
    before = len(problems)
    _check_identity(raw, path, catalog, region, ctx)
    guide = _dataclass(raw, ServiceGuide, "", ctx)
    seen: set[str] = set()
    for variant in guide.variants if guide is not _INVALID else ():
        if not VARIANT_ID.match(variant.id) or variant.id in seen:
            ctx.report(f"variants.{variant.id}", "id 应为唯一的小写 kebab-case")
        seen.add(variant.id)
    return None if len(problems) > before else typing.cast(ServiceGuide, guide)


def _check_table_refs(kb: KnowledgeBase, problems: list[Problem]) -> None:
    for (region, service), guide in kb.guides.items():
        tables = kb.regions[region].office_tables if region in kb.regions else {}
        for details in (guide, *guide.variants):
            ref = details.offices_table
            if ref is not None and ref.table not in tables:
                problems.append(
                    Problem(
                        f"{region}/{service}", f"offices_table {ref.table!r} 未在 region.yaml 定义"
                    )
                )


def read_knowledge_base(
    knowledge_dir: Path, *, cache_dir: Path | None = None
) -> tuple[KnowledgeBase, list[Problem]]:
    """Read everything under knowledge_dir; return the base (valid parts) and every problem.

    With cache_dir, parsed YAML is kept there for the next start (see `_parse_all`).
    """
    problems: list[Problem] = []
    catalog = read_catalog(knowledge_dir / "catalog.tsv")
    region_codes = read_region_codes(knowledge_dir / "regions.tsv")
    guides_dir = knowledge_dir / "guides"
    region_dirs: list[tuple[RegionCode, list[Path]]] = []
    for region_dir in sorted(p for p in guides_dir.iterdir() if p.is_dir()):
        code = region_codes.get(region_dir.name)
        if code is None:
            problems.append(Problem(str(region_dir), "目录名不是 regions.tsv 中的地区代码"))
            continue
        region_dirs.append((code, sorted(region_dir.glob("*.yaml"))))
    contents = {
        file.relative_to(knowledge_dir).as_posix(): file.read_bytes()
        for _, files in region_dirs
        for file in files
    }
    digest = hashlib.blake2b(digest_size=12)
    for name, data in contents.items():
        digest.update(name.encode() + b"\0" + data)
    version = digest.hexdigest()
    parsed = _parse_all(contents, knowledge_dir, version, cache_dir, problems)
    regions: dict[str, Region] = {}
    guides: dict[tuple[str, str], ServiceGuide] = {}
    for code, files in region_dirs:
        region_file = guides_dir / code.code / "region.yaml"
        region = None
        if region_file in files:
            raw = _parsed(parsed, region_file, knowledge_dir)
            region = _load_region(raw, region_file, code, problems)
        else:
            problems.append(Problem(str(region_file), "缺少 region.yaml"))
        if region is not None:
            regions[code.code] = region
        seed = region.seed if region is not None else code.seed or ""
        for file in files:
            if file == region_file:
                continue
            raw = _parsed(parsed, file, knowledge_dir)
            guide = _load_guide(raw, file, seed, catalog, code.code, problems)
            if guide is not None:
                guides[(code.code, guide.service)] = guide
    kb = KnowledgeBase(catalog, region_codes, regions, guides, version)
    _check_table_refs(kb, problems)
    return kb, problems


def _parsed(parsed: dict[str, Any], file: Path, knowledge_dir: Path) -> Any:
    return parsed[file.relative_to(knowledge_dir).as_posix()]


def load_knowledge_base(knowledge_dir: Path, *, cache_dir: Path | None = None) -> KnowledgeBase:
    """Load the base for serving; raise KnowledgeBaseError listing every problem, if any."""
    kb, problems = read_knowledge_base(knowledge_dir, cache_dir=cache_dir)
    if problems:
        raise KnowledgeBaseError(problems)
    return kb


class LiveKnowledgeBase:
    """The base being served; `reload` builds a new one aside and swaps one reference."""

    def __init__(self, knowledge_dir: Path, *, cache_dir: Path | None = None) -> None:
        self.knowledge_dir, self.cache_dir = knowledge_dir, cache_dir
        self.current = load_knowledge_base(knowledge_dir, cache_dir=cache_dir)

    def reload(self) -> KnowledgeBase:
        """Load again; on any problem keep serving the old base and raise KnowledgeBaseError."""
        fresh = load_knowledge_base(self.knowledge_dir, cache_dir=self.cache_dir)
        self.current = fresh  # one reference assignment: requests see the old or the new base
        return fresh
