"""Taking and giving back places in slots: the few statements every booking change is made of.

Kept apart from ``services``: the few statements, and ``case_moved_on``, which appointments
runs when a case moves (subscribed in ``apps.py``), in the transaction that moves it.

Lock order, so that two changes never wait on each other (a deadlock): first the case (its
booking rows and its one active booking), then slots by id, then daily quota counts.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import OperationalError, connections, router
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.applications.models import Application
from gerbang.applications.workflow import VISIT_NEEDED, State
from gerbang.appointments.events import VisitCompleted
from gerbang.appointments.models import ACTIVE, Booking, BookingStatus, Purpose, QuotaDay, Slot
from gerbang.core import events
from gerbang.core.exceptions import RateLimited
from gerbang.core.prepared import PreparedInsert, PreparedInsertIfUpdated, PreparedUpdate

T = TypeVar("T")

# States of a case that need a visit, and what the visit is for.
VISIT_PURPOSE = {state: Purpose(visit.value) for state, visit in VISIT_NEEDED.items()}


def _take_place_statement(*, priority: bool, same_day: bool, everyone: bool) -> PreparedUpdate:
    def build(pk: int) -> tuple[QuerySet[Slot], dict[str, Any]]:
        rows = Slot.objects.filter(pk=pk, closed=False)
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
        return rows, changes

    return PreparedUpdate(build, int)


# Compiled once per kind of visitor (gerbang.core.prepared): every booking runs one of them.
_TAKE_PLACE = {
    (priority, same_day, everyone): _take_place_statement(
        priority=priority, same_day=same_day, everyone=everyone
    )
    for priority in (False, True)
    for same_day in (False, True)
    for everyone in (False, True)
}


def take_place(slot: Slot, *, priority: bool, same_day: bool, everyone: bool = False) -> bool:
    """One conditional UPDATE: a place is taken only while one is left for this kind of visitor.
    ``everyone`` (the office moving a booking) may use any place left."""
    return _TAKE_PLACE[(priority, same_day, everyone)](slot.pk) == 1


insert_booking = PreparedInsert(Booking)
# PostgreSQL: the booking's INSERT made only when its place is taken, in one statement.
_INSERT_IF_PLACE = {
    (priority, same_day): PreparedInsertIfUpdated(insert_booking, _TAKE_PLACE[(priority, same_day, False)])
    for priority in (False, True)
    for same_day in (False, True)
}


def insert_if_place(booking: Booking, *, priority: bool, same_day: bool) -> bool | None:
    """A new booking that gives no place back and counts against no daily quota, in one
    statement where the database can (PostgreSQL): its place taken as ``take_place`` takes it
    and the booking inserted, or neither (False: no place left; an IntegrityError when the
    case already has its active booking). None elsewhere: the caller does both in a transaction."""
    if connections[router.db_for_write(Booking)].vendor != "postgresql":
        return None
    return _INSERT_IF_PLACE[(priority, same_day)](booking, booking.slot_id)


def take_quota(office_id: int, service_id: int, day: dt.date) -> bool | None:
    """Count the booking against the service's daily quota: True, False when the quota is used
    up, None when the service has no quota that day."""
    rows = QuotaDay.objects.filter(office_id=office_id, service_id=service_id, day=day)
    if rows.filter(booked__lt=F("limit")).update(booked=F("booked") + 1) == 1:
        return True
    return False if rows.exists() else None


def _slot_give_back(booking: Booking, slot: Slot) -> None:
    changes: dict[str, Any] = {"booked": F("booked") - 1}
    if booking.priority:
        changes["booked_priority"] = F("booked_priority") - 1
    Slot.objects.filter(pk=slot.pk).update(**changes)


def _quota_give_back(booking: Booking, slot: Slot) -> None:
    if booking.counted_in_quota:
        QuotaDay.objects.filter(office_id=slot.office_id, service_id=booking.service_id, day=slot.day).update(
            booked=F("booked") - 1
        )


def give_back(booking: Booking, slot: Slot) -> None:
    _slot_give_back(booking, slot)
    _quota_give_back(booking, slot)


class NoPlace(Exception):
    """The slot (or the day's quota) had no place left for this visitor."""

    def __init__(self, *, quota: bool = False) -> None:
        self.quota = quota
        super().__init__("quota" if quota else "slot")


def exchange(
    *,
    take: Slot,
    give: tuple[Booking, Slot] | None,
    priority: bool,
    same_day: bool,
    service_id: int,
    everyone: bool = False,
    quota: bool = True,
) -> bool:
    """Take a place in ``take`` and give back the one a booking held in another slot, in the
    lock order (slots by id, then quota counts by day). Raises ``NoPlace`` (the caller's
    transaction then undoes everything); returns whether the new place counts against a quota.
    ``quota=False``: the service has no daily quota, so no count is looked for."""

    def take_slot() -> None:
        if not take_place(take, priority=priority, same_day=same_day, everyone=everyone):
            raise NoPlace

    counted: list[bool | None] = []

    def take_day() -> None:
        counted.append(take_quota(take.office_id, service_id, take.day))
        if counted[-1] is False:
            raise NoPlace(quota=True)

    slot_steps = [(take.pk, take_slot)]
    quota_steps = [(take.day, take_day)] if quota else []
    if give is not None:
        booking, old = give
        slot_steps.append((old.pk, lambda: _slot_give_back(booking, old)))
        quota_steps.append((old.day, lambda: _quota_give_back(booking, old)))
    for _key, step in sorted(slot_steps, key=lambda item: item[0]):
        step()
    for _day, quota_step in sorted(quota_steps, key=lambda item: item[0]):
        quota_step()
    return bool(counted and counted[0])


# Busy databases answer a lock wait with an error (a PostgreSQL deadlock victim, SQLite
# "database is locked"); the change is tried again a few times before the person is asked to.
RETRIES = 3


def retrying(work: Callable[[], T]) -> T:
    for attempt in range(RETRIES):
        try:
            return work()
        except OperationalError:
            if attempt == RETRIES - 1:
                raise Busy from None
            time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))  # noqa: S311 - jitter, not secrecy
    raise Busy


class Busy(RateLimited):
    default_message = _("Booking is very busy at this moment. Please try again in a few seconds.")


def end_status(booking: Booking, status: str, *, now: dt.datetime, reason: str = "") -> bool:
    """Mark an active booking ended (its place still to be given back by the caller); False
    when somebody ended it first. The booking object keeps its status at the time it was read."""
    return bool(
        Booking.objects.filter(pk=booking.pk, status=booking.status).update(
            status=status, ended_at=now, end_reason=reason[:300]
        )
    )


def end(booking: Booking, status: str, *, now: dt.datetime, reason: str = "") -> bool:
    """End an active booking and give its place back; False when somebody ended it first."""
    ended = end_status(booking, status, now=now, reason=reason)
    if ended:
        give_back(booking, booking.slot)
        booking.status, booking.ended_at, booking.end_reason = status, now, reason[:300]
    return ended


def visit_end(booking: Booking, status: str, *, now: dt.datetime) -> bool:
    """The visit of a booking that is under way (confirmed, or checked in) ended: done, or the
    person did not come. Its place is not given back: the time was used. A visit done is told
    to the other apps (``VisitCompleted``). False when somebody ended it first."""
    ended = bool(
        Booking.objects.filter(pk=booking.pk, status=booking.status).update(status=status, ended_at=now)
    )
    if ended and status == BookingStatus.DONE:
        booking.status, booking.ended_at = status, now
        events.publish(VisitCompleted(booking=booking, at=now))
    return ended


def case_moved_on(
    application: Application, *, now: dt.datetime | None = None, visit_done: bool = False
) -> None:
    """Called in the transaction that moves a case: a booking for a visit the case no longer
    needs ends. When the move records the visit itself (``visit_done``: the interview held, the
    document collected), its booking is done, even if booked for later that day; otherwise a
    held or future one is cancelled and gives its place back, and a past one counts as done."""
    now = now or timezone.now()
    # A visitor still checked in is the queue's to finish, unless this move records the visit.
    ending = [*ACTIVE, BookingStatus.CHECKED_IN] if visit_done else list(ACTIVE)
    bookings = Booking.objects.select_related("slot").filter(application=application, status__in=ending)
    for booking in bookings:
        if booking.purpose == VISIT_PURPOSE.get(State(application.state)):
            continue
        if booking.status == BookingStatus.CHECKED_IN or (
            booking.status == BookingStatus.CONFIRMED and (visit_done or booking.slot.starts_at <= now)
        ):
            visit_end(booking, BookingStatus.DONE, now=now)
        else:
            end(booking, BookingStatus.CANCELLED, now=now, reason="the application moved on")
