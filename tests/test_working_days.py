"""Working-day deadlines across 春节 and 国庆 with their 调休 days, and into unpublished years."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.working_days import Deadline, WorkingCalendar, read_published

CALENDAR = WorkingCalendar(read_published(PROJECT_ROOT / "knowledge" / "holidays.yaml"))


@pytest.mark.parametrize(
    ("accepted", "days", "due"),
    [
        # 2026 春节: 2-15..2-23 off; Saturday 2-14 worked (调休).
        (date(2026, 2, 12), 5, date(2026, 2, 26)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        # 2026 中秋 9-25 and 国庆 10-1..10-7 off; Sunday 9-20 and Saturday 10-10 worked.
        (date(2026, 9, 28), 3, date(2026, 10, 8)),
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 10, 8), 2, date(2026, 10, 10)),
        # 即时办结 is zero days.
        (date(2026, 3, 3), 0, date(2026, 3, 3)),
    ],
)
def test_published_years(accepted: date, days: int, due: date) -> None:
    assert CALENDAR.add_working_days(accepted, days) == Deadline(due, provisional=False)


def test_an_unpublished_year_counts_weekends_and_fixed_holidays_and_says_so() -> None:
    # 12-21..25, 12-28..31 (9), 1-1 元旦 off, 1-4..8 (14), 1-11 (15)
    assert CALENDAR.add_working_days(date(2026, 12, 20), 15) == Deadline(date(2027, 1, 11), True)


def test_a_published_year_added_by_curators_wins(tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.yaml"
    holidays.write_text(
        "years:\n  2027:\n    source: 测试用的安排\n"
        "    holidays: [2027-01-01 .. 2027-01-03, 2027-01-04]\n    workdays: [2027-01-09]\n",
        encoding="utf-8",
    )
    calendar = WorkingCalendar(read_published(holidays))
    # 12-21..25, 12-28..31 (9), 1-4 off, 1-5..8 (13), Saturday 1-9 worked (14), 1-11 (15)
    assert calendar.add_working_days(date(2026, 12, 20), 15) == Deadline(date(2027, 1, 11), False)
    assert calendar.add_working_days(date(2027, 1, 8), 1) == Deadline(date(2027, 1, 9), False)


def test_paused_spans_do_not_count() -> None:
    paused = [(date(2026, 3, 4), date(2026, 3, 6))]  # waiting for 补正, Wednesday to Friday
    assert CALENDAR.add_working_days(date(2026, 3, 2), 3, paused=paused) == Deadline(
        date(2026, 3, 10), False
    )


def test_never_an_exception_for_far_years() -> None:
    assert CALENDAR.add_working_days(date(2031, 12, 30), 2).provisional
