"""行政区划代码 (GB/T 2260): current divisions and containment, from python-stdnum's bundled table.

stdnum keeps each code's history ("[1984-1995]南区,[1996-]岳阳楼区"); a code is current when one
of its names has no end year. We add no table of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stdnum import numdb

_SEGMENT = re.compile(r"^(?:\[(\d{4})?-(\d{4})?\])?(.+)$")
CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    province: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "county"


def _current_name(history: str) -> str | None:
    for segment in history.split(","):
        found = _SEGMENT.match(segment.strip())
        if found and found.group(2) is None:
            return found.group(3)
    return None


@cache
def division(code: str) -> Division | None:
    """The current division with this code, or None (malformed, unknown or abolished)."""
    if not CODE.match(code):
        return None
    parts = numdb.get("cn/loc").info(code)
    if len(parts) < 2 or "province" not in parts[0][1] or "county" not in parts[1][1]:
        return None
    name = _current_name(parts[1][1]["county"])
    return Division(code, name, parts[0][1]["province"]) if name else None


def contains(outer: str, inner: str) -> bool:
    """Whether division `inner` lies within (or is) division `outer`, by the code's structure."""
    if outer.endswith("0000"):
        return inner[:2] == outer[:2]
    if outer.endswith("00"):
        return inner[:4] == outer[:4]
    return inner == outer


@cache
def counties_within(code: str) -> tuple[Division, ...]:
    """The current county-level divisions inside a province or a city (岳阳市: 平江县, 临湘市…),
    less the placeholder 市辖区."""
    prefix = code[:2] if code.endswith("0000") else code[:4]
    found = []
    for _, low, high, props, children in numdb.get("cn/loc").prefixes:
        if low != code[:2] or low != high:
            continue
        for _, child, last, child_props, _ in children:
            full = low + child
            name = _current_name(child_props.get("county", ""))
            county = child == last and full.startswith(prefix) and not full.endswith("00")
            if county and name and name != "市辖区":
                found.append(Division(full, name, props["province"]))
    return tuple(found)
