"""Working days on the Chinese calendar (调休 included), for 承诺办结 deadlines.

Three sources, in order: the years curators add to knowledge/holidays.yaml from the State
Council's notice; the chinesecalendar package (2004–2026); and, for a year nobody has published,
weekends plus the fixed-date holidays of 《全国年节及纪念日放假办法》 (元旦 1/1, 劳动节 5/1–5/2,
国庆 10/1–10/3), with every answer from it marked provisional. Never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import yaml

CHINA_TIME = ZoneInfo("Asia/Shanghai")  # "today" for a deadline is today in China


def china_day(moment: datetime) -> date:
    """The calendar day in China at that moment."""
    return moment.astimezone(CHINA_TIME).date()


FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
MAX_DAYS = 3660  # ten years of calendar days: a deadline further off is a caller's mistake


@dataclass(frozen=True, slots=True)
class PublishedYear:
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass(frozen=True, slots=True)
class Deadline:
    day: date
    provisional: bool  # counted over a year whose 调休 schedule is not published yet


def _dates(items: Iterable[Any]) -> frozenset[date]:
    days: set[date] = set()
    for item in items:
        if isinstance(item, date):
            days.add(item)
            continue
        first, _, last = str(item).partition("..")
        start, end = date.fromisoformat(first.strip()), date.fromisoformat((last or first).strip())
        days.update(start + timedelta(n) for n in range((end - start).days + 1))
    return frozenset(days)


def read_published(path: Path) -> dict[int, PublishedYear]:
    """knowledge/holidays.yaml → the years it lists."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        int(year): PublishedYear(
            str(entry["source"]),
            _dates(entry.get("holidays", [])),
            _dates(entry.get("workdays", [])),
        )
        for year, entry in (raw.get("years") or {}).items()
    }


class WorkingCalendar:
    def __init__(self, published: dict[int, PublishedYear]) -> None:
        self.published = published
        # Every answer with a time limit walks the same few weeks from today: each day once.
        self._known: dict[date, tuple[bool, bool]] = {}

    def is_working_day(self, day: date) -> tuple[bool, bool]:
        """(working, provisional) for one day."""
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._look_up(day)
        return known

    def _look_up(self, day: date) -> tuple[bool, bool]:
        year = self.published.get(day.year)
        if year is not None:
            if day in year.workdays:
                return True, False
            return day.weekday() < 5 and day not in year.holidays, False
        try:
            return bool(chinese_calendar.is_workday(day)), False
        except NotImplementedError:
            return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS, True

    def add_working_days(
        self, start: date, days: int, *, paused: Iterable[tuple[date, date]] = ()
    ) -> Deadline:
        """The day `days` working days after `start` (which does not count), skipping paused spans
        (inclusive; e.g. while a claim waits for 补正)."""
        spans = list(paused)
        day, counted, provisional = start, 0, False
        for _ in range(MAX_DAYS):
            if counted >= days:
                return Deadline(day, provisional)
            day += timedelta(days=1)
            if any(first <= day <= last for first, last in spans):
                continue
            working, guessed = self.is_working_day(day)
            if working:
                counted += 1
                provisional = provisional or guessed
        raise ValueError(f"{days} working days from {start} is further than ten years")
