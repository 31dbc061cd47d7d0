"""The office's queue figures per day (supervisors' report), and the waits of a period (the
supervisors' dashboards and the report's summary)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Max, Q, QuerySet
from django.utils import timezone

from gerbang.appointments.models import Booking, BookingStatus
from gerbang.catalog.models import Office
from gerbang.core.figures import ANY_SERVICE, Figure, figures
from gerbang.queueing.models import Lane, Ticket, TicketSource, TicketStatus
from gerbang.queueing.selectors.rules import policy_of


@dataclass
class DayFigures:
    day: dt.date
    bookings: int = 0
    checked_in: int = 0
    walk_ins: int = 0
    served: int = 0
    no_shows: int = 0
    waiting_now: int = 0
    waiting_over_target: int = 0
    waits_over_target: int = 0
    average_wait_seconds: int | None = None
    max_wait_seconds: int | None = None
    no_show_share: float | None = None
    lanes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def lanes_served(self) -> list[dict[str, Any]]:
        """The lanes that served someone (with an average service time)."""
        return [row for row in self.lanes if row["average_service_seconds"] is not None]


def _booked_on(office: Office, day: dt.date) -> QuerySet[Booking]:
    return Booking.objects.filter(
        slot__office=office,
        slot__day=day,
        status__in=[
            BookingStatus.CONFIRMED,
            BookingStatus.CHECKED_IN,
            BookingStatus.DONE,
            BookingStatus.NO_SHOW,
        ],
    )


def day_figures(office: Office, day: dt.date, now: dt.datetime | None = None) -> DayFigures:
    """One day of one office: bookings and check-ins, waits against the service level,
    no-shows, and per lane its queue and service time."""
    now = now or timezone.now()
    target = policy_of(office).wait_target_minutes * 60
    tickets = Ticket.objects.filter(office=office, day=day)
    originals = tickets.exclude(source=TicketSource.TRANSFER)
    called = originals.filter(waited_seconds__isnull=False)
    waits = called.aggregate(avg=Avg("waited_seconds"), longest=Max("waited_seconds"))
    bookings = _booked_on(office, day)
    booking_counts = bookings.aggregate(
        total=Count("id"),
        missed=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
        decided=Count("id", filter=~Q(status=BookingStatus.CONFIRMED)),
    )
    waiting = tickets.filter(status=TicketStatus.WAITING)
    figures = DayFigures(
        day=day,
        bookings=booking_counts["total"],
        checked_in=originals.filter(source=TicketSource.BOOKING).count(),
        walk_ins=originals.filter(source=TicketSource.WALK_IN).count(),
        served=tickets.filter(status=TicketStatus.COMPLETED).count(),
        no_shows=booking_counts["missed"],
        waiting_now=waiting.count(),
        waiting_over_target=waiting.filter(issued_at__lt=now - dt.timedelta(seconds=target)).count(),
        waits_over_target=called.filter(waited_seconds__gt=target).count(),
        average_wait_seconds=round(waits["avg"]) if waits["avg"] is not None else None,
        max_wait_seconds=waits["longest"],
        no_show_share=(booking_counts["missed"] / booking_counts["decided"])
        if booking_counts["decided"]
        else None,
    )
    per_lane = {
        row["lane"]: row
        for row in tickets.values("lane")
        .annotate(
            waiting=Count("id", filter=Q(status=TicketStatus.WAITING)),
            served=Count("id", filter=Q(status=TicketStatus.COMPLETED)),
            service=Avg("service_seconds", filter=Q(status=TicketStatus.COMPLETED)),
            wait=Avg("waited_seconds"),
        )
        .order_by()
    }
    for lane in Lane.objects.filter(office=office).order_by("letter"):
        row = per_lane.get(lane.pk)
        if row is None and not lane.is_active:
            continue
        figures.lanes.append(
            {
                "lane": lane,
                "waiting": row["waiting"] if row else 0,
                "served": row["served"] if row else 0,
                "average_service_seconds": round(row["service"])
                if row and row["service"] is not None
                else None,
                "average_wait_seconds": round(row["wait"]) if row and row["wait"] is not None else None,
            }
        )
    return figures


def days_figures(office: Office, first: dt.date, last: dt.date) -> list[DayFigures]:
    """The figures of each day of a period that had bookings or tickets (supervisors' report)."""
    busy = set(
        Ticket.objects.filter(office=office, day__gte=first, day__lte=last).values_list("day", flat=True)
    ) | set(
        Booking.objects.filter(slot__office=office, slot__day__gte=first, slot__day__lte=last)
        .exclude(status__in=[BookingStatus.HELD, BookingStatus.LAPSED, BookingStatus.CANCELLED])
        .values_list("slot__day", flat=True)
    )
    return [day_figures(office, day) for day in sorted(busy, reverse=True)]


def public_day_figures(office: Office, day: dt.date) -> list[Figure]:
    """For the public statistics (``core.figures``): per visitor called at ``office`` on ``day``,
    the whole minutes they waited from their ticket to the first call (``wait_minutes``), under
    the service of their case (a walk-in without a case: ``ANY_SERVICE``). A transfer is the
    same visitor again and is not counted twice."""
    counts: Counter[tuple[int, str, int]] = Counter()
    rows = (
        Ticket.objects.filter(office=office, day=day, waited_seconds__isnull=False)
        .exclude(source=TicketSource.TRANSFER)
        .values_list("application__service_id", "booking__service_id", "waited_seconds")
    )
    for case_service, booked_service, waited in rows:
        if waited is None:  # filtered out; says so to the type checker
            continue
        service = case_service or booked_service or ANY_SERVICE
        counts[(service, "wait_minutes", waited // 60)] += 1
    return figures(counts)


@dataclass
class Waits:
    """How long the visitors of some days waited for their first call, in whole minutes rounded
    up ("at most"): each minute and how many waited that long, and the shares read from it."""

    minutes: dict[int, int] = field(default_factory=dict)

    @property
    def called(self) -> int:
        return sum(self.minutes.values())

    def within(self, share: float) -> int | None:
        """The wait (minutes) that ``share`` of the visitors waited at most (nearest rank)."""
        total = self.called
        if not total:
            return None
        rank = math.ceil(share * total)
        seen = 0
        for minute in sorted(self.minutes):
            seen += self.minutes[minute]
            if seen >= rank:
                return minute
        return max(self.minutes)

    @property
    def median(self) -> int | None:
        return self.within(0.5)

    @property
    def p80(self) -> int | None:
        return self.within(0.8)

    def add(self, other: Waits) -> None:
        for minute, count in other.minutes.items():
            self.minutes[minute] = self.minutes.get(minute, 0) + count


def waits(office_ids: list[int], first: dt.date, last: dt.date) -> dict[int, Waits]:
    """Per office of ``office_ids``: the waits of the visitors called on the days ``first`` to
    ``last`` (each ticket once: a transfer keeps its visitor's first wait). One query, which
    counts visitors per office and minute."""
    rows = (
        Ticket.objects.filter(
            office_id__in=office_ids, day__gte=first, day__lte=last, waited_seconds__isnull=False
        )
        .exclude(source=TicketSource.TRANSFER)
        .annotate(minute=(F("waited_seconds") + 59) / 60)
        .values("office_id", "minute")
        .annotate(visitors=Count("id"))
        .order_by()
    )
    found: dict[int, Waits] = {}
    for row in rows:
        found.setdefault(row["office_id"], Waits()).minutes[row["minute"]] = row["visitors"]
    return found
