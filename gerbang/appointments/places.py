"""Taking and giving back places in slots: the few statements every booking change is made of.

Kept apart from ``services`` so the case workflow can end a booking in its own transaction
without importing the booking rules (which depend on the workflow).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.appointments.models import ACTIVE, Booking, BookingStatus, Purpose, QuotaDay, Slot

# States of a case that need a visit, and what the visit is for.
VISIT_PURPOSE = {State.AWAITING_APPOINTMENT: Purpose.INTERVIEW, State.READY_FOR_PICKUP: Purpose.PICKUP}


def take_place(slot: Slot, *, priority: bool, same_day: bool, everyone: bool = False) -> bool:
    """One conditional UPDATE: a place is taken only while one is left for this kind of visitor.
    ``everyone`` (the office moving a booking) may use any place left."""
    rows = Slot.objects.filter(pk=slot.pk, closed=False)
    if same_day or everyone:
        rows = rows.filter(booked__lt=F("capacity"))
    else:
        rows = rows.filter(booked__lt=F("capacity") - F("reserved_same_day"))
        if not priority:
            rows = rows.filter(
                booked__lt=F("capacity")
                - F("reserved_same_day")
                - F("reserved_priority")
                + F("booked_priority")
            )
    changes: dict[str, Any] = {"booked": F("booked") + 1}
    if priority:
        changes["booked_priority"] = F("booked_priority") + 1
    return rows.update(**changes) == 1


def take_quota(office_id: int, service_id: int, day: dt.date) -> bool | None:
    """Count the booking against the service's daily quota: True, False when the quota is used
    up, None when the service has no quota that day."""
    rows = QuotaDay.objects.filter(office_id=office_id, service_id=service_id, day=day)
    if rows.filter(booked__lt=F("limit")).update(booked=F("booked") + 1) == 1:
        return True
    return False if rows.exists() else None


def give_back(booking: Booking, slot: Slot) -> None:
    changes: dict[str, Any] = {"booked": F("booked") - 1}
    if booking.priority:
        changes["booked_priority"] = F("booked_priority") - 1
    Slot.objects.filter(pk=slot.pk).update(**changes)
    if booking.counted_in_quota:
        QuotaDay.objects.filter(office_id=slot.office_id, service_id=booking.service_id, day=slot.day).update(
            booked=F("booked") - 1
        )


def end(booking: Booking, status: str, *, now: dt.datetime, reason: str = "") -> bool:
    """End an active booking and give its place back; False when somebody ended it first."""
    ended = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
        status=status, ended_at=now, end_reason=reason[:300]
    )
    if ended:
        give_back(booking, booking.slot)
        booking.status, booking.ended_at, booking.end_reason = status, now, reason[:300]
    return bool(ended)


def case_moved_on(application: Application, *, now: dt.datetime | None = None) -> None:
    """Called in the transaction that moves a case: a booking for a visit the case no longer
    needs ends (a held or future one gives its place back; a past one counts as the visit done)."""
    now = now or timezone.now()
    for booking in Booking.objects.select_related("slot").filter(application=application, status__in=ACTIVE):
        if booking.purpose == VISIT_PURPOSE.get(State(application.state)):
            continue
        if booking.status == BookingStatus.CONFIRMED and booking.slot.starts_at <= now:
            Booking.objects.filter(pk=booking.pk, status=booking.status).update(
                status=BookingStatus.DONE, ended_at=now
            )
        else:
            end(booking, BookingStatus.CANCELLED, now=now, reason="the application moved on")
