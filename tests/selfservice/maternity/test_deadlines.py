"""承诺办结 dates: working days from acceptance across 春节 and 国庆 (调休 Saturdays worked),
paused while waiting for 补正, provisional in a year whose holidays are not published."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.config import PROJECT_ROOT
from app.selfservice.maternity.models import ClaimEvent, MaternityClaim
from app.selfservice.maternity.progress import Promise, promise_of
from app.working_days import CHINA_TIME, WorkingCalendar, read_published

CALENDAR = WorkingCalendar(read_published(PROJECT_ROOT / "knowledge" / "holidays.yaml"))
TODAY = date(2026, 12, 1)


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=CHINA_TIME)


def claim(accepted: date, days: int, *spans: tuple[date, date | None]) -> MaternityClaim:
    events = []
    for returned, resubmitted in spans:
        events.append(ClaimEvent(action="request_correction", from_status="accepted",
                                 created_at=at(returned)))  # fmt: skip
        if resubmitted is not None:
            events.append(ClaimEvent(action="resubmit", created_at=at(resubmitted)))
    return MaternityClaim(
        status="accepted", accepted_at=at(accepted), promised_days=days, events=events
    )


@pytest.mark.parametrize(
    ("accepted", "days", "due"),
    [
        # 春节 2026: 2-15..2-23 off, Saturdays 2-14 and 2-28 worked.
        # 2-13, 2-14 (Sat), 2-24..27, 2-28 (Sat), 3-2..6, 3-9..11
        (date(2026, 2, 12), 15, date(2026, 3, 11)),
        # 国庆 and 中秋 2026: 10-1..10-7 off, Saturday 10-10 worked.
        # 9-29, 9-30, 10-8, 10-9, 10-10 (Sat), 10-12..16
        (date(2026, 9, 28), 10, date(2026, 10, 16)),
        # Sunday 9-20 is worked (调休): 9-18 (Fri) + 1 working day is that Sunday.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        # Today: 12-2..4, 12-7..11, 12-14..18, 12-21..22
        (date(2026, 12, 1), 15, date(2026, 12, 22)),
    ],
)
def test_promised_dates_follow_the_chinese_calendar(accepted: date, days: int, due: date) -> None:
    assert promise_of(claim(accepted, days), CALENDAR, TODAY) == Promise(
        due, provisional=False, paused=False, overdue=due < TODAY
    )


def test_a_date_in_an_unpublished_year_is_provisional_never_an_error() -> None:
    # 12-16..18, 12-21..25, 12-28..31, 1-1 元旦 off, 1-4..6
    found = promise_of(claim(date(2026, 12, 15), 15), CALENDAR, TODAY)
    assert found == Promise(date(2027, 1, 6), provisional=True, paused=False, overdue=False)


def test_waiting_for_correction_pauses_the_clock() -> None:
    # Accepted Monday 3-2; returned Wednesday 3-4, resubmitted Friday 3-6: 3-3, then 3-9 on.
    resumed = claim(date(2026, 3, 2), 15, (date(2026, 3, 4), date(2026, 3, 6)))
    assert promise_of(resumed, CALENDAR, TODAY) == Promise(
        date(2026, 3, 26), provisional=False, paused=False, overdue=True
    )
    waiting = claim(date(2026, 3, 2), 15, (date(2026, 3, 4), None))
    assert promise_of(waiting, CALENDAR, TODAY) == Promise(
        None, provisional=False, paused=True, overdue=False
    )


def test_a_correction_before_acceptance_does_not_pause_anything() -> None:
    early = claim(date(2026, 3, 2), 15)
    early.events = [ClaimEvent(action="request_correction", from_status="submitted",
                               created_at=at(date(2026, 2, 27)))]  # fmt: skip
    assert promise_of(early, CALENDAR, TODAY) == promise_of(
        claim(date(2026, 3, 2), 15), CALENDAR, TODAY
    )
