"""What the forecasts are made from: an office's weekly applications (the public statistics'
daily figures, measure "submitted") and what the calendar knows of each week."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from gerbang.analytics.forecast.model import Week
from gerbang.catalog.models import Office
from gerbang.catalog.seasons import shares
from gerbang.catalog.selectors import working_calendar
from gerbang.transparency import selectors as statistics

MEASURE = "submitted"
ALL_SERVICES = 0


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class History:
    """Complete weeks from ``first`` (a Monday) on; ``counts`` per service id, and
    ``ALL_SERVICES`` for the office's total. A service's own history begins with the first
    complete week after its first application (before, the office may not have offered it:
    those weeks are not weeks of no demand)."""

    first: date | None
    weeks: int
    counts: dict[int, list[float]] = field(default_factory=dict)
    begins: dict[int, int] = field(default_factory=dict)  # a service's first week (index)

    def of(self, service_id: int) -> tuple[int, list[float]]:
        """The index of the service's first week, and its counts from there on."""
        if service_id not in self.counts:
            return self.weeks, []
        start = self.begins.get(service_id, 0)
        return start, self.counts[service_id][start:]


def weekly_history(office: Office, today: date) -> History:
    """The office's applications per complete week, from the first Monday on or after its
    first counted day up to the week before ``today``'s."""
    last = monday_of(today) - timedelta(days=7)
    first_day = statistics.first_counted_day(office.pk, MEASURE)
    if first_day is None:
        return History(None, 0)
    first = monday_of(first_day + timedelta(days=6))
    if first > last:
        return History(first, 0)
    weeks = (last - first).days // 7 + 1
    counts: dict[int, list[float]] = defaultdict(lambda: [0.0] * weeks)
    begins: dict[int, int] = {}
    total = [0.0] * weeks
    for day, service_id, count in statistics.daily_counts(
        office.pk, MEASURE, first - timedelta(days=6), last + timedelta(days=6)
    ):
        if service_id not in begins:
            begins[service_id] = max(0, (monday_of(day + timedelta(days=6)) - first).days // 7)
        if day < first:
            continue
        index = (day - first).days // 7
        counts[service_id][index] += count
        total[index] += count
    counts[ALL_SERVICES] = total
    begins[ALL_SERVICES] = 0
    return History(first, weeks, dict(counts), begins)


def calendar_weeks(office: Office, first: date, count: int) -> list[Week]:
    """What the calendar knows of ``count`` weeks from the Monday ``first``: the office's working
    days (weekends, national holidays, collective leave and its closures out) and the share of
    each week in each season's window."""
    if count <= 0:
        return []
    calendar = working_calendar(office, first, horizon_days=count * 7)
    weeks = []
    for n in range(count):
        monday = first + timedelta(weeks=n)
        working = sum(calendar.is_working_day(monday + timedelta(days=d)) for d in range(7))
        weeks.append(Week(monday, working, shares(monday)))
    return weeks
