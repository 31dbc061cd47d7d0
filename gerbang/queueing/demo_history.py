"""The on-site visits of the demo's past cases, so that the public statistics have waiting
times to count: each pickup visit the appointments' history booked (``appointments.demo_history``)
took a ticket in the office's pickup lane, waited, and was served. Waits differ by office
(Makassar's hall is the busiest). Written in bulk, once, from a fixed seed, after the lanes.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from collections import defaultdict

from django.db import transaction

from gerbang.appointments.models import Booking, BookingStatus, Purpose
from gerbang.core.calendar import local_date
from gerbang.queueing.models import Counter, Lane, Ticket, TicketSource, TicketStatus

SEED = 20261208
# The median wait in minutes at each office's pickup lane (waits spread around it, log-normally).
MEDIAN_WAIT = {"mesuji": 14, "sijunjung": 7, "bengkulu-selatan": 18, "makassar": 28, "jayapura": 9}


def past_ticket(
    lane: Lane,
    day: dt.date,
    number: int,
    issued: dt.datetime,
    waited: int,
    served: int | None,
    *,
    booking: Booking | None = None,
    counter: Counter | None = None,
) -> Ticket:
    """A ticket of a past visit as the queue left it: called once ``waited`` seconds after it
    was taken, then served for ``served`` seconds, or gone when called (``served`` None: called
    three times, then marked absent). A booking's ticket takes its place from the slot's start."""
    called = issued + dt.timedelta(seconds=waited)
    return Ticket(
        office_id=lane.office_id,
        lane=lane,
        day=day,
        number=f"{lane.letter}-{number:03d}",
        token=secrets.token_urlsafe(16),
        source=TicketSource.BOOKING if booking is not None else TicketSource.WALK_IN,
        booking=booking,
        application_id=booking.application_id if booking is not None else None,
        order_at=booking.slot.starts_at if booking is not None else issued,
        issued_at=issued,
        status=TicketStatus.COMPLETED if served is not None else TicketStatus.NO_SHOW,
        counter=counter,
        called_at=called,
        first_called_at=called,
        last_called_at=called,
        calls=1 if served is not None else 3,
        waited_seconds=waited,
        ended_at=called + dt.timedelta(seconds=served if served is not None else 120),
        service_seconds=served,
    )


def load() -> int:
    """Write the tickets of the past pickup visits once; returns how many (0 if done)."""
    visits = list(
        Booking.objects.filter(
            purpose=Purpose.PICKUP,
            status=BookingStatus.DONE,
            tickets__isnull=True,
            application__applicant__email__startswith="riwayat.",
            application__applicant__email__endswith="@gerbang.test",
        )
        .select_related("slot__office")
        .order_by("ended_at", "pk")
    )
    if not visits:
        return 0
    lanes = {lane.office_id: lane for lane in Lane.objects.filter(purpose="pickup").order_by("letter")}
    generator = random.Random(SEED)  # noqa: S311 - demo data, the same every time
    numbers: dict[tuple[int, dt.date], int] = defaultdict(int)
    tickets = []
    for booking in visits:
        office = booking.slot.office
        lane = lanes.get(office.pk)
        median = MEDIAN_WAIT.get(office.code)
        if lane is None or median is None or booking.ended_at is None:
            continue
        served = booking.ended_at
        service_seconds = generator.randint(120, 420)
        waited = int(60 * generator.lognormvariate(math.log(median), 0.55))
        issued = served - dt.timedelta(seconds=service_seconds + waited)
        day = local_date(issued, office.time_zone)
        numbers[(office.pk, day)] += 1
        tickets.append(
            past_ticket(
                lane,
                day,
                numbers[(office.pk, day)],
                issued,
                waited,
                service_seconds,
                booking=booking,
            )
        )
    with transaction.atomic():
        Ticket.objects.bulk_create(tickets, batch_size=500)
    return len(tickets)
