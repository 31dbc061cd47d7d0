"""How many visits an office can receive a day for one service group: the appointment places
its visiting hours give, and what its counters can serve in those hours."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count

from gerbang.appointments.models import ScheduleTemplate
from gerbang.appointments.selectors import policy_for
from gerbang.catalog.models import Office
from gerbang.queueing.models import Counter, Ticket, TicketStatus
from gerbang.queueing.selectors.rules import policy_of

# The office's own service times count once it served this many visitors of the group in the
# last ``SERVICE_TIME_WEEKS`` weeks; before that, its default minutes per visitor.
MEASURED_TICKETS = 20
SERVICE_TIME_WEEKS = 8


@dataclass(frozen=True)
class DayCapacity:
    weekday: int
    places: int  # appointment places: slots x places per slot
    visiting_minutes: int
    counters: float  # counters serving the group (one serving k groups counts 1/k)
    counter_visits: int | None  # counters x minutes / minutes per visitor; None: no counter set

    @property
    def visits(self) -> int:
        """What the day can take: the places, or fewer when the counters cannot serve them."""
        return self.places if self.counter_visits is None else min(self.places, self.counter_visits)


@dataclass(frozen=True)
class GroupCapacity:
    group: str
    days: dict[int, DayCapacity]  # weekdays with visiting hours
    service_minutes: float
    service_minutes_measured: bool  # from the office's own tickets, else its default
    release_days_ahead: int

    @property
    def per_day(self) -> int:
        """The most one day can take (a quota the same every day must not hold back places
        the fullest day has)."""
        return max((day.visits for day in self.days.values()), default=0)

    @property
    def fullest(self) -> DayCapacity | None:
        return max(self.days.values(), key=lambda day: (day.visits, -day.weekday), default=None)


def _minutes(starts: dt.time, ends: dt.time) -> int:
    return int(
        (dt.datetime.combine(dt.date.min, ends) - dt.datetime.combine(dt.date.min, starts)).seconds // 60
    )


def _counter_shares(office: Office, group: str, groups: set[str]) -> float:
    """Counters in use serving the group's lanes; a counter serving several groups gives each
    an equal share of its time (a lane for every group serves all the office's groups)."""
    total = 0.0
    for counter in Counter.objects.filter(office=office, is_active=True).prefetch_related("lanes"):
        served: set[str] = set()
        for lane in counter.lanes.all():
            if lane.is_active:
                served |= {lane.group} if lane.group else groups
        if group in served:
            total += 1 / len(served)
    return total


def _service_minutes(office: Office, group: str, today: dt.date) -> tuple[float, bool]:
    measured = Ticket.objects.filter(
        office=office,
        status=TicketStatus.COMPLETED,
        service_seconds__isnull=False,
        day__gte=today - dt.timedelta(weeks=SERVICE_TIME_WEEKS),
        lane__group__in=[group, ""],
    ).aggregate(tickets=Count("id"), seconds=Avg("service_seconds"))
    if measured["tickets"] >= MEASURED_TICKETS and measured["seconds"]:
        return max(1.0, measured["seconds"] / 60), True
    return float(policy_of(office).default_service_minutes), False


def group_capacity(office: Office, group: str, today: dt.date) -> GroupCapacity:
    blocks = list(ScheduleTemplate.objects.filter(office=office))
    groups = {block.group for block in blocks}
    minutes_per_visitor, measured = _service_minutes(office, group, today)
    counters = _counter_shares(office, group, groups)
    days: dict[int, DayCapacity] = {}
    for weekday in sorted({block.weekday for block in blocks if block.group == group}):
        mine = [block for block in blocks if block.group == group and block.weekday == weekday]
        places = sum(len(block.slot_starts()) * block.capacity for block in mine)
        minutes = sum(_minutes(block.starts, block.ends) for block in mine)
        days[weekday] = DayCapacity(
            weekday=weekday,
            places=places,
            visiting_minutes=minutes,
            counters=counters,
            counter_visits=int(counters * minutes // minutes_per_visitor) if counters else None,
        )
    return GroupCapacity(
        group=group,
        days=days,
        service_minutes=minutes_per_visitor,
        service_minutes_measured=measured,
        release_days_ahead=policy_for(office.pk, group).release_days_ahead,
    )
