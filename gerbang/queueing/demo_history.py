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
from gerbang.queueing.models import Lane, Ticket, TicketSource, TicketStatus

SEED = 20261208
# The median wait in minutes at each office's pickup lane (waits spread around it, log-normally).
MEDIAN_WAIT = {"mesuji": 14, "sijunjung": 7, "bengkulu-selatan": 18, "makassar": 28, "jayapura": 9}


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
        called = served - dt.timedelta(seconds=service_seconds)
        issued = called - dt.timedelta(seconds=waited)
        day = local_date(issued, office.time_zone)
        numbers[(office.pk, day)] += 1
        tickets.append(
            Ticket(
                office=office,
                lane=lane,
                day=day,
                number=f"{lane.letter}-{numbers[(office.pk, day)]:03d}",
                token=secrets.token_urlsafe(16),
                source=TicketSource.BOOKING,
                booking=booking,
                application_id=booking.application_id,
                order_at=booking.slot.starts_at,
                issued_at=issued,
                status=TicketStatus.COMPLETED,
                called_at=called,
                first_called_at=called,
                last_called_at=called,
                calls=1,
                waited_seconds=waited,
                ended_at=served,
                service_seconds=service_seconds,
            )
        )
    with transaction.atomic():
        Ticket.objects.bulk_create(tickets, batch_size=500)
    return len(tickets)
