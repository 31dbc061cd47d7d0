"""Booking a time: holding a place, confirming, cancelling and moving it, and letting lapsed holds go.

Taking a place is one conditional UPDATE on the slot row (and one on the day's quota count when
the service has a daily quota): the database refuses the place when none is left, so no slot is
ever overbooked, however many people press at once. What can be answered without writing (the
slot is full, the case already holds this booking) is answered before any write lock is taken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.applications.selectors import actor_of
from gerbang.applications.workflow import Actor
from gerbang.appointments import tokens
from gerbang.appointments.events import BookingCancelled, BookingMade
from gerbang.appointments.models import (
    ACTIVE,
    Booking,
    BookingStatus,
    PriorityReason,
    Purpose,
    QuotaDay,
    ServiceQuota,
    Slot,
)
from gerbang.appointments.places import (
    NoPlace,
    end,
    end_status,
    exchange,
    insert_booking,
    insert_if_place,
    retrying,
    visit_end,
)
from gerbang.appointments.selectors import (
    BOOKING_LEAD,
    active_booking,
    policy_for,
    purpose_of,
    release_moment,
)
from gerbang.appointments.services.records import _record
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import OfficeService
from gerbang.core import events
from gerbang.core.exceptions import Conflict, ErrorCode, NotFound, PermissionDenied, ValidationError
from gerbang.core.memo import ProcessMemo
from gerbang.core.prepared import PreparedRead


def _load_offer(office_id: int, service_id: int) -> OfficeService | None:
    return (
        OfficeService.objects.select_related("office")
        .filter(office_id=office_id, service_id=service_id)
        .first()
    )


# Whether an office offers a service now, and whether the service has a daily quota there.
_offers = ProcessMemo(_load_offer, seconds=10.0, watch=(OfficeService,))


_quotas = ProcessMemo(
    lambda office_id, service_id: ServiceQuota.objects.filter(
        office_id=office_id, service_id=service_id
    ).exists(),
    seconds=10.0,
    watch=(ServiceQuota, QuotaDay),
)


def _check_may_book(application: Application, actor: User) -> Purpose:
    role = actor_of(application, actor)
    if role not in (Actor.APPLICANT, Actor.OFFICER, Actor.SUPERVISOR):
        raise PermissionDenied(_("You may not book for this application."))
    purpose = purpose_of(application)
    if purpose is None:
        raise Conflict(
            _("This application needs no visit to the office now (it is “%(state)s”).")
            % {"state": application.state_label},
            code=ErrorCode.NO_VISIT_NEEDED,
        )
    return purpose


def _is_same_day(slot: Slot, now: dt.datetime) -> bool:
    return catalog.office_today(slot.office, now) == slot.day


def _slot_problem(
    slot: Slot, application: Application, *, priority: bool, now: dt.datetime
) -> Conflict | None:
    """Why this slot cannot be booked now for this case, or None (answered before any write)."""

    def unavailable(message: str) -> Conflict:
        return Conflict(message, code=ErrorCode.SLOT_UNAVAILABLE)

    if slot.office_id != application.office_id or slot.group != application.service.category:
        return unavailable(_("This time is not for this application's office and service."))
    if slot.closed:
        return unavailable(_("The office is closed at this time; choose another."))
    if slot.starts_at - BOOKING_LEAD <= now:
        return unavailable(_("This time has passed or starts too soon; choose a later one."))
    policy = policy_for(slot.office_id, slot.group)
    if release_moment(policy, slot.day, slot.office.time_zone) > now:
        return unavailable(_("This day is not open for booking yet."))
    link = _offers(slot.office_id, application.service_id)
    if link is None:
        return unavailable(_("This office does not offer this service."))
    blocked = link.blocked_on(slot.day)
    if blocked is not None:
        return unavailable(
            _("This service is suspended at this office for now: %(reason)s") % {"reason": blocked}
        )
    if slot.free_for(priority=priority, same_day=_is_same_day(slot, now)) <= 0:
        return _full()
    return None


# The reads of every booking attempt, compiled once (gerbang.core.prepared): under a rush the
# ORM's compiling would cost more than the database's answering.
_slot_with_office = PreparedRead(lambda pk: Slot.objects.select_related("office").filter(pk=pk), int)


_case_bookings = PreparedRead(
    lambda application_id: Booking.objects.select_related("slot").filter(
        application_id=application_id, status__in=[*ACTIVE, BookingStatus.CHECKED_IN]
    ),
    int,
)


def _full(message: str | None = None) -> Conflict:
    return Conflict(
        message or _("Somebody else has just taken the last place at this time. Please choose another time."),
        code=ErrorCode.SLOT_FULL,
    )


def booking_hold(
    *,
    application: Application,
    slot_id: int,
    actor: User,
    priority_reason: str = "",
    first_free_day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Hold a place for this case while the applicant confirms. Pressing twice gives the same
    hold; choosing another time while holding one lets the first go. ``first_free_day`` is the
    first open day the applicant was shown (``appointments.seen``), kept for the statistics."""
    now = now or timezone.now()
    purpose = _check_may_book(application, actor)
    if priority_reason not in PriorityReason.values:
        raise ValidationError(_("Choose a priority reason from the list."), field="priority_reason")
    slot = _slot_with_office.first(slot_id)
    if slot is None:
        raise NotFound(_("This time does not exist (any more); choose another."))
    # One look at the case's bookings: checked in (then no new time), or its active one.
    bookings = _case_bookings(application.pk)
    if any(b.status == BookingStatus.CHECKED_IN for b in bookings):
        raise Conflict(
            _("You are checked in at the office for this visit; finish it there first."),
            code=ErrorCode.CHECKED_IN,
        )
    current = next((b for b in bookings if b.status in ACTIVE), None)
    if current is not None:
        if current.slot_id == slot.pk:
            return current
        if current.status == BookingStatus.CONFIRMED:
            raise _already_booked()
    priority = bool(priority_reason)
    problem = _slot_problem(slot, application, priority=priority, now=now)
    if problem:
        raise problem
    hold_minutes = policy_for(slot.office_id, slot.group).hold_minutes
    has_quota = _quotas(slot.office_id, application.service_id)

    same_day = _is_same_day(slot, now)

    def attempt() -> Booking:
        # Made before the transaction: while it is open, only its statements run (on SQLite it
        # holds the one write lock, and Python work would keep every other booking waiting).
        booking = Booking(
            application=application,
            slot=slot,
            service_id=application.service_id,
            code=tokens.new_code(),
            purpose=purpose,
            status=BookingStatus.HELD,
            priority_reason=priority_reason,
            hold_expires_at=now + dt.timedelta(minutes=hold_minutes),
            created_at=now,
            first_free_day=first_free_day,
        )
        if current is None and not has_quota:
            made = insert_if_place(booking, priority=priority, same_day=same_day)
            if made is not None:  # one statement did it all (or nothing)
                if not made:
                    raise _full()
                return booking
        with transaction.atomic():
            # The case first (its old hold, then its one active booking), then the places.
            released = current is not None and end_status(current, BookingStatus.CANCELLED, now=now)
            insert_booking(booking)
            counted = _exchange(
                take=slot,
                give=(current, current.slot) if released and current is not None else None,
                priority=priority,
                same_day=same_day,
                service_id=application.service_id,
                quota=has_quota,
            )
            if counted:
                Booking.objects.filter(pk=booking.pk).update(counted_in_quota=True)
                booking.counted_in_quota = True
        return booking

    try:
        booking = retrying(attempt)
    except IntegrityError:
        # Another request of this case won the race: the same time is the same booking.
        again = active_booking(application)
        if again is not None and again.slot_id == slot.pk:
            return again
        raise _already_booked() from None
    booking.slot = slot
    return booking


def _already_booked() -> Conflict:
    return Conflict(
        _("This application already has an appointment; change that one instead."),
        code=ErrorCode.ALREADY_BOOKED,
    )


def _exchange(**kwargs: Any) -> bool:
    try:
        return exchange(**kwargs)
    except NoPlace as refused:
        if refused.quota:
            raise _full(
                _("The office's daily quota for this service is used up on this day; choose another day.")
            ) from None
        raise _full() from None


def booking_confirm(*, booking: Booking, actor: User, now: dt.datetime | None = None) -> Booking:
    """Turn a hold into a booking: stored, recorded on the timeline, confirmed by message."""
    now = now or timezone.now()
    _check_may_book(booking.application, actor)
    with transaction.atomic():
        confirmed = Booking.objects.filter(
            pk=booking.pk, status=BookingStatus.HELD, hold_expires_at__gt=now
        ).update(status=BookingStatus.CONFIRMED, confirmed_at=now, hold_expires_at=None)
        booking.refresh_from_db()
        if confirmed:
            _record("appointment.booked", booking, actor=actor)
            events.publish(BookingMade(booking=booking, actor=actor))
            return booking
    if booking.status == BookingStatus.CONFIRMED:
        return booking  # pressed twice
    if booking.status == BookingStatus.HELD:
        with transaction.atomic():
            end(booking, BookingStatus.LAPSED, now=now)
    raise Conflict(
        _(
            "The time was held for you for a few minutes only and has been released. Please choose a time again."
        ),
        code=ErrorCode.HOLD_LAPSED,
    )


def _check_change_allowed(booking: Booking, actor: User, now: dt.datetime) -> None:
    _check_may_book(booking.application, actor)
    if booking.status not in ACTIVE:
        raise Conflict(_("This booking is no longer active."), code=ErrorCode.BOOKING_INACTIVE)
    if booking.status == BookingStatus.HELD:
        return
    policy = policy_for(booking.slot.office_id, booking.slot.group)
    cutoff = booking.slot.starts_at - dt.timedelta(hours=policy.change_cutoff_hours)
    if now >= cutoff and actor_of(booking.application, actor) == Actor.APPLICANT:
        raise Conflict(
            _(
                "Appointments can be changed or cancelled only until %(hours)s hours before the time. Please contact the office."
            )
            % {"hours": policy.change_cutoff_hours},
            code=ErrorCode.PAST_CUTOFF,
        )


def booking_cancel(*, booking: Booking, actor: User, now: dt.datetime | None = None) -> Booking:
    """Cancel (or let go of a hold); the place is free for others at once."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("slot", "slot__office", "application").get(pk=booking.pk)
    _check_change_allowed(booking, actor, now)
    with transaction.atomic():
        was_confirmed = booking.status == BookingStatus.CONFIRMED
        if not end(booking, BookingStatus.CANCELLED, now=now, reason="cancelled by the applicant"):
            raise Conflict(_("This booking is no longer active."), code=ErrorCode.BOOKING_INACTIVE)
        if was_confirmed:
            _record("appointment.cancelled", booking, actor=actor)
            events.publish(BookingCancelled(booking=booking, actor=actor))
    return booking


def booking_reschedule(
    *, booking: Booking, slot_id: int, actor: User, now: dt.datetime | None = None
) -> Booking:
    """Move a confirmed booking to another time: the new place is taken before the old one is
    given back, in one transaction, so the applicant never ends up with neither."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("slot", "slot__office", "application").get(pk=booking.pk)
    _check_change_allowed(booking, actor, now)
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict(_("Confirm the time you hold first."), code=ErrorCode.BOOKING_INACTIVE)
    if booking.slot_id == slot_id:
        return booking
    policy = policy_for(booking.slot.office_id, booking.slot.group)
    if (
        booking.reschedules >= policy.max_reschedules
        and actor_of(booking.application, actor) == Actor.APPLICANT
    ):
        raise Conflict(
            _(
                "This appointment has been moved %(count)s times already, the most allowed. Please contact the office."
            )
            % {"count": booking.reschedules},
            code=ErrorCode.TOO_MANY_RESCHEDULES,
        )
    new_slot = Slot.objects.select_related("office").filter(pk=slot_id).first()
    if new_slot is None:
        raise NotFound(_("This time does not exist (any more); choose another."))
    problem = _slot_problem(new_slot, booking.application, priority=booking.priority, now=now)
    if problem:
        raise problem
    old_slot = booking.slot

    def attempt() -> Booking:
        with transaction.atomic():
            moved = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.CONFIRMED, slot=old_slot
            ).update(slot=new_slot, reschedules=F("reschedules") + 1)
            if not moved:
                raise Conflict(
                    _("This booking changed a moment ago; reload the page."), code=ErrorCode.STALE_BOOKING
                )
            counted = _exchange(
                take=new_slot,
                give=(booking, old_slot),
                priority=booking.priority,
                same_day=_is_same_day(new_slot, now),
                service_id=booking.service_id,
                quota=_quotas(new_slot.office_id, booking.service_id),
            )
            Booking.objects.filter(pk=booking.pk).update(counted_in_quota=counted)
            fresh = Booking.objects.select_related("application").get(pk=booking.pk)
            fresh.slot = new_slot
            _record("appointment.rescheduled", fresh, actor=actor, previous=old_slot.starts_at.isoformat())
            events.publish(BookingMade(booking=fresh, actor=actor, previous_start=old_slot.starts_at))
            return fresh

    return retrying(attempt)


def holds_release_lapsed(*, now: dt.datetime | None = None) -> int:
    """Let go of every hold not confirmed in time (the periodic sweep, every minute)."""
    now = now or timezone.now()
    released = 0
    for booking in Booking.objects.select_related("slot").filter(
        status=BookingStatus.HELD, hold_expires_at__lte=now
    ):
        with transaction.atomic():
            released += end(booking, BookingStatus.LAPSED, now=now)
    return released


def booking_visit_end(*, booking_id: int, status: str, now: dt.datetime) -> bool:
    """A checked-in visitor was served (``DONE``) or did not come when called (``NO_SHOW``), as
    the queue says, in the caller's transaction; False when the booking was not under way."""
    if status not in (BookingStatus.DONE, BookingStatus.NO_SHOW):
        raise ValueError(f"a visit ends done or no-show, not {status!r}")
    booking = (
        Booking.objects.select_related("slot", "application")
        .filter(pk=booking_id, status=BookingStatus.CHECKED_IN)
        .first()
    )
    return booking is not None and visit_end(booking, status, now=now)
