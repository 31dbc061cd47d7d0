"""The working-day calendar every feature counts with (service standards are in working days).

A working day is a weekday that is neither a national holiday, a collective leave day
(cuti bersama) nor a closure of the office concerned. The closed dates come from the
catalogue (``catalog.selectors.working_calendar``); this module only counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.utils import timezone

WEEKEND = frozenset({5, 6})  # Saturday, Sunday


class WorkingCalendar:
    def __init__(self, closed_dates: Iterable[date] = (), *, weekend: Iterable[int] = WEEKEND) -> None:
        self.closed = frozenset(closed_dates)
        self.weekend = frozenset(weekend)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.closed

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first one after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted).

        With ``days == 0`` the answer is ``start`` if it is a working day, else the next one.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        if days == 0:
            return self.next_working_day(current)
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


def local_date(moment: datetime, zone_name: str) -> date:
    """The calendar date of a moment at an office (a Friday night in WIB is Saturday in WIT)."""
    return timezone.localtime(moment, ZoneInfo(zone_name)).date()


def day_bounds(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """The moments between which the calendar ``day`` runs in the time zone ``zone_name``
    (from its first moment, up to the next day's first)."""
    zone = ZoneInfo(zone_name)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


D = TypeVar("D", date, datetime)


def years_later(moment: D, years: int) -> D:
    """The same day and time ``years`` later (earlier when negative); 29 February becomes 28
    February in a year without it. Retention periods are counted so (``DATA_RETENTION_YEARS``)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def months_later(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month``'s (before, when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
