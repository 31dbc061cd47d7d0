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

from django.db import transaction
from django.utils import timezone

from gerbang.applications.demo_history import PastCase, past_cases
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


def load() -> int:
    """Write the pickup bookings of the past cases once; returns how many (0 if done)."""
    history = past_cases()
    if not history or Booking.objects.filter(application=history[0].application).exists():
        return 0
    generator = random.Random(SEED)  # noqa: S311 - demo data, the same every time
    today = timezone.localdate()
    slots: dict[tuple[int, str, dt.datetime], Slot] = {}
    bookings: list[tuple[tuple[int, str, dt.datetime], Booking]] = []
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
        key = (application.office_id, application.service.category, starts)
        if key not in slots:
            slots[key] = Slot(
                office_id=application.office_id,
                group=application.service.category,
                day=visit_day,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=SLOT_MINUTES),
                capacity=0,
            )
        slots[key].capacity += 1
        slots[key].booked += 1
        bookings.append(
            (
                key,
                Booking(
                    application=application,
                    service_id=application.service_id,
                    code=tokens.new_code(),
                    purpose=Purpose.PICKUP,
                    status=BookingStatus.DONE,
                    created_at=booked_at,
                    confirmed_at=booked_at + dt.timedelta(minutes=2),
                    ended_at=collected,
                    first_free_day=first_free,
                ),
            )
        )
    with transaction.atomic():
        Slot.objects.bulk_create(slots.values(), batch_size=500)
        for key, booking in bookings:
            booking.slot = slots[key]
        Booking.objects.bulk_create([booking for _key, booking in bookings], batch_size=500)
    return len(bookings)
