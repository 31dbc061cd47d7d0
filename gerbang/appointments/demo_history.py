"""The visits of the demo's past cases (``applications.demo_history``), so that the public
statistics have appointment lead times to count: each case that was collected booked its
pickup after it was made ready, on a day after the first free day it was shown. How far ahead
that first free day was depends on the office (Makassar is short of places, Sijunjung is not).
Written in bulk, once, from a fixed seed; never in the last ``RECENT_DAYS`` (the queue's demo
writes those weeks' visits, ``queueing.demo_visits``) nor today (the live demo's).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gerbang.applications.demo_history import PastCase, past_cases
from gerbang.applications.models import Application
from gerbang.appointments import tokens
from gerbang.appointments.models import Booking, BookingStatus, Purpose, Slot
from gerbang.core.calendar import local_date

SEED = 20261207
SLOT_MINUTES = 60
RECENT_DAYS = 21


@dataclass(frozen=True)
class Lead:
    shortest: int  # calendar days from booking to the first free day
    longest: int


LEADS = {
    "mesuji": Lead(2, 7),
    "sijunjung": Lead(0, 3),
    "bengkulu-selatan": Lead(1, 6),
    "makassar": Lead(4, 12),
    "jayapura": Lead(0, 2),
}


def _visit(case: PastCase, today: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """When the pickup was booked and when the visit took place, if it did before today."""
    ready, collected = case.steps.get("mark_ready"), case.steps.get("mark_collected")
    if ready is None or collected is None:
        return None
    if local_date(collected, case.application.office.time_zone) >= today - dt.timedelta(days=RECENT_DAYS):
        return None
    return ready, collected


class PastSlots:
    """The slots of past days, made as the bookings of the demo's history need them, and those
    bookings, written in bulk by ``save`` (the pickups here, the recent weeks' visits in
    ``queueing.demo_visits``)."""

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        self.slots: dict[tuple[int, str, dt.datetime], Slot] = {}
        self.bookings: list[Booking] = []

    def slot(self, office_id: int, group: str, day: dt.date, starts: dt.datetime, capacity: int = 0) -> Slot:
        """The slot of ``group`` at the office starting at ``starts``, made the first time."""
        key = (office_id, group, starts)
        if key not in self.slots:
            self.slots[key] = Slot(
                office_id=office_id,
                group=group,
                day=day,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=self.minutes),
                capacity=capacity,
            )
        return self.slots[key]

    def book(self, slot: Slot, application: Application, **fields: Any) -> Booking:
        """A booking of ``application`` in ``slot``, counted there; ``fields`` are the rest."""
        slot.booked += 1
        booking = Booking(
            application=application,
            slot=slot,
            service_id=application.service_id,
            code=tokens.new_code(),
            **fields,
        )
        self.bookings.append(booking)
        return booking

    def save(self) -> None:
        Slot.objects.bulk_create(self.slots.values(), batch_size=500)
        for booking in self.bookings:
            booking.slot_id = booking.slot.pk
        Booking.objects.bulk_create(self.bookings, batch_size=500)


def load() -> int:
    """Write the pickup bookings of the past cases once; returns how many (0 if done)."""
    history = past_cases()
    if not history or Booking.objects.filter(application=history[0].application).exists():
        return 0
    generator = random.Random(SEED)  # noqa: S311 - demo data, the same every time
    today = timezone.localdate()
    past = PastSlots(SLOT_MINUTES)
    for case in history:
        visit = _visit(case, today)
        lead = LEADS.get(case.application.office.code)
        if visit is None or lead is None:
            continue
        ready, collected = visit
        application = case.application
        zone = application.office.time_zone
        booked_at = ready + dt.timedelta(minutes=generator.randint(20, 180))
        visit_day = local_date(collected, zone)
        first_free = min(
            local_date(booked_at, zone) + dt.timedelta(days=generator.randint(lead.shortest, lead.longest)),
            visit_day,
        )
        starts = timezone.localtime(collected, timezone.get_fixed_timezone(0)).replace(
            minute=0, second=0, microsecond=0
        )
        slot = past.slot(application.office_id, application.service.category, visit_day, starts)
        slot.capacity += 1  # as many places as were booked
        past.book(
            slot,
            application,
            purpose=Purpose.PICKUP,
            status=BookingStatus.DONE,
            created_at=booked_at,
            confirmed_at=booked_at + dt.timedelta(minutes=2),
            ended_at=collected,
            first_free_day=first_free,
        )
    with transaction.atomic():
        past.save()
    return len(past.bookings)
