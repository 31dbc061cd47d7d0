"""Erasing what bookings hold about a person (UU PDP). A booking's only personal field is why its
visitor had priority (age, a disability, a pregnancy, a small child: partly health data); the
rest (code, times, states) is the office's figures and stays.

Only the system erases (the person's request carried out by ``gerbang.privacy``, or the nightly
retention sweep): ``actor`` is a ``SystemActor``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from gerbang.appointments.models import ACTIVE, Booking, BookingStatus
from gerbang.appointments.places import end
from gerbang.appointments.selectors import priorities_past_retention
from gerbang.appointments.services.records import _record
from gerbang.core import events
from gerbang.core.actors import SystemActor

# The system acting on a person's erasure request, and the retention sweep.
PRIVACY = SystemActor("privacy")
RETENTION = SystemActor("retention")


def bookings_cancel_for_erasure(*, booking_ids: Sequence[int], now: dt.datetime, actor: SystemActor) -> int:
    """Cancel the held or confirmed bookings among ``booking_ids`` because their person asked
    for erasure: each gives its place back at once (and its daily quota count), loses its
    priority reason and leaves "cancelled" on its case's timeline. One transaction per booking,
    as when a person cancels; a booking that ended meanwhile is left alone. Returns how many."""
    cancelled = 0
    for booking in Booking.objects.select_related("slot", "application").filter(
        pk__in=list(booking_ids), status__in=ACTIVE
    ):
        with transaction.atomic():
            was_confirmed = booking.status == BookingStatus.CONFIRMED
            if not end(booking, BookingStatus.CANCELLED, now=now, reason="personal data erased on request"):
                continue
            Booking.objects.filter(pk=booking.pk).update(priority_reason="")
            if was_confirmed:  # a hold of a few minutes leaves no trace, as when a person lets it go
                _record("appointment.cancelled", booking, actor=actor, why="erasure")
            cancelled += 1
    return cancelled


@transaction.atomic
def bookings_personal_data_erase(
    *,
    cutoff_day: dt.date,
    actor: SystemActor,
    why: str,
    booking_ids: Sequence[int] | None = None,
    limit: int = 500,
) -> int:
    """Forget why the visitor had priority on bookings for a day before ``cutoff_day`` (their
    retention period is over): at most ``limit`` per call, only ``booking_ids`` when given.
    Returns how many were changed, each recorded on its case."""
    due = priorities_past_retention(cutoff_day)
    if booking_ids is not None:
        due = due.filter(pk__in=list(booking_ids))
    rows = list(
        due.select_for_update(of=("self",)).select_related("slot", "application").order_by("pk")[:limit]
    )
    if not rows:
        return 0
    Booking.objects.filter(pk__in=[row.pk for row in rows]).update(priority_reason="")
    events.record_many(
        "appointment.personal_data_erased",
        actor=actor,
        subjects=[(row.application, row.slot.office_id) for row in rows],
        details={"why": why},
    )
    return len(rows)
