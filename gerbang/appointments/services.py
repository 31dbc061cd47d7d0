"""Every change to slots and bookings. Each public function is one transaction.

Taking a place is one conditional UPDATE on the slot row (and one on the day's quota count when
the service has a daily quota): the database refuses the place when none is left, so no slot is
ever overbooked, however many people press at once. What can be answered without writing (the
slot is full, the case already holds this booking) is answered before any write lock is taken.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.applications.models import Application
from gerbang.applications.services import actor_of
from gerbang.applications.workflow import Actor, State
from gerbang.appointments import tokens
from gerbang.appointments.models import (
    ACTIVE,
    Booking,
    BookingPolicy,
    BookingStatus,
    GeneratedDay,
    PriorityReason,
    Purpose,
    QuotaDay,
    ScheduleTemplate,
    ServiceQuota,
    Slot,
    Weekday,
)
from gerbang.appointments.places import (
    VISIT_PURPOSE,
    NoPlace,
    end,
    end_status,
    exchange,
    give_back,
    insert_booking,
    insert_if_place,
    retrying,
    take_place,
    take_quota,
)
from gerbang.catalog import selectors as catalog
from gerbang.catalog import services as catalog_services
from gerbang.catalog.models import Office, OfficeClosure, OfficeService, ServiceCategory
from gerbang.core import events
from gerbang.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from gerbang.core.memo import ProcessMemo
from gerbang.core.prepared import PreparedRead
from gerbang.notifications.models import OutboxMessage
from gerbang.notifications.services import outbox_add

# Slots are made this many days beyond the furthest bookable day, so a batch that does not run
# for a week still leaves every bookable day with its slots (and pages make missing days too).
GENERATION_MARGIN_DAYS = 7
# A slot can be booked until this long before it starts.
BOOKING_LEAD = dt.timedelta(minutes=15)


def _load_policy(office_id: int, group: str) -> BookingPolicy:
    policy = BookingPolicy.objects.filter(office_id=office_id, group=group).first()
    return policy or BookingPolicy(office_id=office_id, group=group)


# Every booking reads its office's rules several times; they change a few times a year.
_policies = ProcessMemo(_load_policy, seconds=10.0, watch=(BookingPolicy,))


def policy_for(office_id: int, group: str) -> BookingPolicy:
    """The office's rules for a service group; the defaults when it has set none. A copy: the
    caller may change it (a form does) without touching what other requests read."""
    return copy.copy(_policies(office_id, group))


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


def release_moment(policy: BookingPolicy, day: dt.date, zone: str) -> dt.datetime:
    """When ``day`` opens for booking: the release time, so many days before it, office time."""
    opens_on = day - dt.timedelta(days=policy.release_days_ahead)
    return dt.datetime.combine(opens_on, policy.release_time, tzinfo=ZoneInfo(zone))


def last_bookable_day(policy: BookingPolicy, now: dt.datetime, zone: str) -> dt.date:
    local = timezone.localtime(now, ZoneInfo(zone))
    days = policy.release_days_ahead - (0 if local.time() >= policy.release_time else 1)
    return local.date() + dt.timedelta(days=days)


# --- Making slots ------------------------------------------------------------------------------


def _reserves(template: ScheduleTemplate) -> tuple[int, int]:
    same_day = math.floor(template.capacity * template.same_day_share / 100)
    priority = min(math.ceil(template.capacity * template.priority_share / 100), template.capacity - same_day)
    return priority, same_day


def slots_generate(*, office: Office, group: str, days: Iterable[dt.date]) -> int:
    """Make the slots (and quota counts) of the given days that were not made yet; idempotent."""
    days = sorted(set(days))
    if not days:
        return 0
    done = set(
        GeneratedDay.objects.filter(office=office, group=group, day__in=days).values_list("day", flat=True)
    )
    todo = [day for day in days if day not in done]
    if not todo:
        return 0
    closed = catalog.working_calendar(office, todo[0], (todo[-1] - todo[0]).days + 1).closed
    opening = catalog.opening_periods(office)
    templates = list(ScheduleTemplate.objects.filter(office=office, group=group))
    quotas = list(ServiceQuota.objects.filter(office=office, service__category=group))
    zone = ZoneInfo(office.time_zone)
    slots: list[Slot] = []
    counts: list[QuotaDay] = []
    for day in todo:
        if day in closed:
            continue
        for template in templates:
            if template.weekday != day.weekday():
                continue
            priority, same_day = _reserves(template)
            length = dt.timedelta(minutes=template.slot_minutes)
            for start in template.slot_starts():
                starts_at = dt.datetime.combine(day, start, tzinfo=zone)
                # Never a time the office is not open (a break, hours shortened since).
                if not catalog.within_opening(
                    opening.get(day.weekday(), []), start, (starts_at + length).time()
                ):
                    continue
                slots.append(
                    Slot(
                        office=office,
                        group=group,
                        day=day,
                        starts_at=starts_at,
                        ends_at=starts_at + dt.timedelta(minutes=template.slot_minutes),
                        capacity=template.capacity,
                        reserved_priority=priority,
                        reserved_same_day=same_day,
                    )
                )
        if any(t.weekday == day.weekday() for t in templates):
            counts += [
                QuotaDay(office=office, service=q.service, day=day, limit=q.daily_limit) for q in quotas
            ]
    with transaction.atomic():
        Slot.objects.bulk_create(slots, ignore_conflicts=True)
        QuotaDay.objects.bulk_create(counts, ignore_conflicts=True)
        GeneratedDay.objects.bulk_create(
            [GeneratedDay(office=office, group=group, day=day) for day in todo], ignore_conflicts=True
        )
    return len(slots)


def slots_ensure(*, office: Office, group: str, until: dt.date, now: dt.datetime | None = None) -> int:
    """Make every missing day from today up to ``until``: pages call this, so a day that should
    have slots has them even when the periodic batch did not run."""
    today = catalog.office_today(office, now)
    days = [today + dt.timedelta(days=n) for n in range((until - today).days + 1)]
    return slots_generate(office=office, group=group, days=days)


def slots_generate_ahead(*, now: dt.datetime | None = None) -> int:
    """The periodic batch: for every office and group with visiting hours, the bookable days
    and a margin beyond them."""
    now = now or timezone.now()
    made = 0
    pairs = ScheduleTemplate.objects.values_list("office_id", "group").distinct()
    offices = {o.pk: o for o in Office.objects.filter(is_active=True)}
    for office_id, group in set(pairs):
        office = offices.get(office_id)
        if office is None:
            continue
        policy = policy_for(office_id, group)
        until = last_bookable_day(policy, now, office.time_zone) + dt.timedelta(days=GENERATION_MARGIN_DAYS)
        made += slots_ensure(office=office, group=group, until=until, now=now)
    return made


# --- Booking -----------------------------------------------------------------------------------


def purpose_of(application: Application) -> Purpose | None:
    return VISIT_PURPOSE.get(State(application.state))


def _check_may_book(application: Application, user: Any) -> Purpose:
    actor = actor_of(application, user)
    if actor not in (Actor.APPLICANT, Actor.OFFICER, Actor.SUPERVISOR):
        raise PermissionDenied(_("You may not book for this application."))
    purpose = purpose_of(application)
    if purpose is None:
        raise Conflict(
            _("This application needs no visit to the office now (it is “%(state)s”).")
            % {"state": application.state_label},
            code="no_visit_needed",
        )
    return purpose


def _is_same_day(slot: Slot, now: dt.datetime) -> bool:
    return catalog.office_today(slot.office, now) == slot.day


def _slot_problem(
    slot: Slot, application: Application, *, priority: bool, now: dt.datetime
) -> Conflict | None:
    """Why this slot cannot be booked now for this case, or None (answered before any write)."""

    def unavailable(message: str) -> Conflict:
        return Conflict(message, code="slot_unavailable")

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


def active_booking(application: Application) -> Booking | None:
    return (
        Booking.objects.select_related("slot", "slot__office")
        .filter(application=application, status__in=ACTIVE)
        .first()
    )


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
        code="slot_full",
    )


def booking_hold(
    *,
    application: Application,
    slot_id: int,
    user: Any,
    priority_reason: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Hold a place for this case while the applicant confirms. Pressing twice gives the same
    hold; choosing another time while holding one lets the first go."""
    now = now or timezone.now()
    purpose = _check_may_book(application, user)
    if priority_reason not in PriorityReason.values:
        raise ValidationError(_("Choose a priority reason from the list."), field="priority_reason")
    slot = _slot_with_office.first(slot_id)
    if slot is None:
        raise NotFound(_("This time does not exist (any more); choose another."))
    # One look at the case's bookings: checked in (then no new time), or its active one.
    bookings = _case_bookings(application.pk)
    if any(b.status == BookingStatus.CHECKED_IN for b in bookings):
        raise Conflict(
            _("You are checked in at the office for this visit; finish it there first."), code="checked_in"
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
        _("This application already has an appointment; change that one instead."), code="already_booked"
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


def _booking_context(booking: Booking) -> dict[str, Any]:
    slot = booking.slot
    return {
        "application_id": booking.application_id,
        "number": booking.application.number,
        "code": booking.code,
        "office": booking.slot.office.name_id,
        "office_en": booking.slot.office.name_en or booking.slot.office.name_id,
        "office_address": booking.slot.office.address,
        "time_zone": slot.office.time_zone,
        "starts_at": slot.starts_at.isoformat(),
        "purpose": booking.purpose,
    }


def _record(code: str, booking: Booking, *, user: Any, **details: Any) -> None:
    events.record(
        code,
        actor=user,
        subject=booking.application,
        office_id=booking.slot.office_id,
        details={
            "public": True,
            "booking": booking.code,
            "starts_at": booking.slot.starts_at.isoformat(),
            **details,
        },
    )


def _confirm_by_message(booking: Booking) -> None:
    """The confirmation of a booked time: once per booking and time."""
    outbox_add(
        recipient=booking.application.applicant,
        kind="appointment.booked",
        dedup_key=f"booking:{booking.pk}:booked:{booking.slot.starts_at.isoformat()}",
        context=_booking_context(booking),
    )


def booking_confirm(*, booking: Booking, user: Any, now: dt.datetime | None = None) -> Booking:
    """Turn a hold into a booking: stored, recorded on the timeline, confirmed by message."""
    now = now or timezone.now()
    _check_may_book(booking.application, user)
    with transaction.atomic():
        confirmed = Booking.objects.filter(
            pk=booking.pk, status=BookingStatus.HELD, hold_expires_at__gt=now
        ).update(status=BookingStatus.CONFIRMED, confirmed_at=now, hold_expires_at=None)
        booking.refresh_from_db()
        if confirmed:
            _record("appointment.booked", booking, user=user)
            _confirm_by_message(booking)
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
        code="hold_lapsed",
    )


def _check_change_allowed(booking: Booking, user: Any, now: dt.datetime) -> None:
    _check_may_book(booking.application, user)
    if booking.status not in ACTIVE:
        raise Conflict(_("This booking is no longer active."), code="booking_inactive")
    if booking.status == BookingStatus.HELD:
        return
    policy = policy_for(booking.slot.office_id, booking.slot.group)
    cutoff = booking.slot.starts_at - dt.timedelta(hours=policy.change_cutoff_hours)
    if now >= cutoff and actor_of(booking.application, user) == Actor.APPLICANT:
        raise Conflict(
            _(
                "Appointments can be changed or cancelled only until %(hours)s hours before the time. Please contact the office."
            )
            % {"hours": policy.change_cutoff_hours},
            code="past_cutoff",
        )


def booking_cancel(*, booking: Booking, user: Any, now: dt.datetime | None = None) -> Booking:
    """Cancel (or let go of a hold); the place is free for others at once."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("slot", "slot__office", "application").get(pk=booking.pk)
    _check_change_allowed(booking, user, now)
    with transaction.atomic():
        was_confirmed = booking.status == BookingStatus.CONFIRMED
        if not end(booking, BookingStatus.CANCELLED, now=now, reason="cancelled by the applicant"):
            raise Conflict(_("This booking is no longer active."), code="booking_inactive")
        if was_confirmed:
            _record("appointment.cancelled", booking, user=user)
    return booking


def booking_reschedule(
    *, booking: Booking, slot_id: int, user: Any, now: dt.datetime | None = None
) -> Booking:
    """Move a confirmed booking to another time: the new place is taken before the old one is
    given back, in one transaction, so the applicant never ends up with neither."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("slot", "slot__office", "application").get(pk=booking.pk)
    _check_change_allowed(booking, user, now)
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict(_("Confirm the time you hold first."), code="booking_inactive")
    if booking.slot_id == slot_id:
        return booking
    policy = policy_for(booking.slot.office_id, booking.slot.group)
    if (
        booking.reschedules >= policy.max_reschedules
        and actor_of(booking.application, user) == Actor.APPLICANT
    ):
        raise Conflict(
            _(
                "This appointment has been moved %(count)s times already, the most allowed. Please contact the office."
            )
            % {"count": booking.reschedules},
            code="too_many_reschedules",
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
                raise Conflict(_("This booking changed a moment ago; reload the page."), code="stale_booking")
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
            _record("appointment.rescheduled", fresh, user=user, previous=old_slot.starts_at.isoformat())
            _confirm_by_message(fresh)
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


# --- Reminders -----------------------------------------------------------------------------------

# (name, how long before the visit) — each sent once per booking and time.
REMINDERS = (("day", dt.timedelta(days=1)), ("hours", dt.timedelta(hours=2)))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind everybody whose visit is a day or two hours away (each reminder once per time;
    a reminder is skipped when the booking itself was made inside its window)."""
    now = now or timezone.now()
    sent = 0
    for name, ahead in REMINDERS:
        due = Booking.objects.select_related("slot", "slot__office", "application__applicant").filter(
            status=BookingStatus.CONFIRMED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + ahead,
            confirmed_at__lt=F("slot__starts_at") - ahead,
        )
        if name == "day":
            due = due.filter(slot__starts_at__gt=now + REMINDERS[1][1])
        for booking in due:
            key = f"booking:{booking.pk}:remind:{name}:{booking.slot.starts_at.isoformat()}"
            if OutboxMessage.objects.filter(dedup_key=key).exists():
                continue
            with transaction.atomic():
                outbox_add(
                    recipient=booking.application.applicant,
                    kind="appointment.reminder",
                    dedup_key=key,
                    context={**_booking_context(booking), "when": name},
                )
            sent += 1
    return sent


# --- The office closes -------------------------------------------------------------------------


@dataclass
class ClosureOutcome:
    closure: OfficeClosure
    moved: int
    cancelled: int


def _earliest_free_slot(booking: Booking, *, after: dt.date | None, now: dt.datetime) -> Slot | None:
    """The first free time after the day ``after``, or, when None, from the booking's own day
    on (never days earlier than the person planned for); the caller has made the coming days'
    slots."""
    slots = Slot.objects.filter(
        office_id=booking.slot.office_id,
        group=booking.slot.group,
        closed=False,
        booked__lt=F("capacity"),
        starts_at__gt=now + BOOKING_LEAD,
    ).exclude(pk=booking.slot_id)
    slots = slots.filter(day__gte=booking.slot.day) if after is None else slots.filter(day__gt=after)
    return slots.order_by("starts_at").first()


@dataclass
class Displaced:
    moved: int = 0
    cancelled: int = 0


def _displace(
    affected: list[Booking],
    *,
    office: Office,
    after: dt.date | None,
    move: bool,
    reason_id: str,
    reason_en: str,
    cause: str,
    actor: Any,
    now: dt.datetime,
) -> Displaced:
    """Bookings in time the office no longer receives visitors (a closure, shortened hours):
    each is moved to the earliest free time after ``after``, or cancelled, and its applicant
    told either way. ``cause`` keeps one message per booking and cause."""
    outcome = Displaced()
    if move:
        for group in {b.slot.group for b in affected}:
            policy = policy_for(office.pk, group)
            until = last_bookable_day(policy, now, office.time_zone) + dt.timedelta(
                days=GENERATION_MARGIN_DAYS
            )
            slots_ensure(office=office, group=group, until=until, now=now)
    reason = {"reason_id": reason_id or reason_en, "reason_en": reason_en or reason_id}
    for booking in affected:
        old_slot, was_held = booking.slot, booking.status == BookingStatus.HELD
        target = None
        if move and not was_held:
            target = _earliest_free_slot(booking, after=after, now=now)
        if target is not None and take_place(
            target, priority=booking.priority, same_day=False, everyone=True
        ):
            counted = take_quota(target.office_id, booking.service_id, target.day)
            Booking.objects.filter(pk=booking.pk).update(slot=target, counted_in_quota=bool(counted))
            give_back(booking, old_slot)
            booking.slot = target
            outcome.moved += 1
            kind = "appointment.moved"
        else:
            end(booking, BookingStatus.CANCELLED, now=now, reason="office closed")
            outcome.cancelled += 1
            kind = "appointment.cancelled_by_office"
        if was_held:
            continue
        _record(
            kind,
            booking,
            user=actor,
            previous=old_slot.starts_at.isoformat(),
            reason=reason["reason_id"],
            **reason,
        )
        outbox_add(
            recipient=booking.application.applicant,
            kind=kind,
            dedup_key=f"booking:{booking.pk}:{kind}:{cause}",
            context={**_booking_context(booking), "previous": old_slot.starts_at.isoformat(), **reason},
        )
    return outcome


def _active_bookings(slots: Any) -> list[Booking]:
    return list(
        Booking.objects.select_related("slot", "slot__office", "application__applicant")
        .filter(slot__in=slots, status__in=ACTIVE)
        .order_by("slot__starts_at", "created_at")
    )


def office_close(
    *,
    office: Office,
    start_date: dt.date,
    end_date: dt.date,
    reason_id: str,
    reason_en: str = "",
    move_bookings: bool = True,
    actor: Any,
    now: dt.datetime | None = None,
) -> ClosureOutcome:
    """Close an office for a day or a range (an emergency): its slots close, and every booking
    in it is moved to the earliest free time after the closure, or cancelled, and its applicant
    told either way."""
    now = now or timezone.now()
    with transaction.atomic():
        closure = catalog_services.office_closure_add(
            office=office,
            start_date=start_date,
            end_date=end_date,
            reason_id=reason_id,
            reason_en=reason_en,
            actor=actor,
        )
        slots = Slot.objects.filter(office=office, day__gte=start_date, day__lte=end_date)
        slots.update(closed=True)
        outcome = _displace(
            _active_bookings(slots),
            office=office,
            after=end_date,
            move=move_bookings,
            reason_id=reason_id,
            reason_en=reason_en,
            cause=str(closure.pk),
            actor=actor,
            now=now,
        )
        events.record(
            "appointment.office_closed",
            actor=actor,
            subject=closure,
            office_id=office.pk,
            details={
                "from": start_date.isoformat(),
                "until": end_date.isoformat(),
                "moved": outcome.moved,
                "cancelled": outcome.cancelled,
            },
        )
    return ClosureOutcome(closure=closure, moved=outcome.moved, cancelled=outcome.cancelled)


@dataclass
class HoursOutcome:
    office: Office
    # Visiting-hour blocks cut to fit the new hours, and those that no longer fit at all.
    trimmed: int
    removed: int
    moved: int
    cancelled: int
    # Each visiting-hours block changed, in words ("Friday, Passports: 08:00-12:00 → 09:00-10:00").
    changes: list[str] = field(default_factory=list)


def _trim_to_opening(
    office: Office, opening: dict[int, catalog.Periods], changes: list[str]
) -> tuple[int, int, set[str]]:
    """Cut every visiting-hours block to the parts that lie inside the opening hours (a block
    across a new break becomes two); a part shorter than one slot is dropped."""
    trimmed = removed = 0
    groups: set[str] = set()
    for block in list(ScheduleTemplate.objects.filter(office=office)):
        periods = opening.get(block.weekday, [])
        if catalog.within_opening(periods, block.starts, block.ends):
            continue
        groups.add(block.group)
        pieces = []
        for opens, closes in periods:
            starts, ends = max(opens, block.starts), min(closes, block.ends)
            length = dt.datetime.combine(dt.date.min, ends) - dt.datetime.combine(dt.date.min, starts)
            if length >= dt.timedelta(minutes=block.slot_minutes):
                pieces.append((starts, ends))
        block.delete()
        for starts, ends in pieces:
            ScheduleTemplate.objects.create(
                office=office,
                group=block.group,
                weekday=block.weekday,
                starts=starts,
                ends=ends,
                slot_minutes=block.slot_minutes,
                capacity=block.capacity,
                priority_share=block.priority_share,
                same_day_share=block.same_day_share,
            )
        if pieces:
            trimmed += 1
        else:
            removed += 1
        changes.append(
            _("%(day)s, %(group)s: %(before)s → %(after)s")
            % {
                "day": Weekday(block.weekday).label,
                "group": ServiceCategory(block.group).label,
                "before": catalog.opening_hours_text([(block.starts, block.ends)]),
                "after": catalog.opening_hours_text(pieces) if pieces else _("removed"),
            }
        )
    return trimmed, removed, groups


def office_hours_set(
    *,
    office: Office,
    periods: Iterable[tuple[int, dt.time, dt.time]],
    actor: Any,
    now: dt.datetime | None = None,
) -> HoursOutcome:
    """New opening hours: visiting hours are cut to lie inside them, and coming slots outside
    them close, their bookings moved to the earliest free time or cancelled (as in a closure),
    their applicants told."""
    now = now or timezone.now()
    with transaction.atomic():
        hours_event = catalog_services.opening_hours_set(office=office, periods=periods, actor=actor)
        office = Office.objects.prefetch_related("opening_hours").get(pk=office.pk)
        opening = catalog.opening_periods(office)
        changes: list[str] = []
        trimmed, removed, groups = _trim_to_opening(office, opening, changes)
        zone = ZoneInfo(office.time_zone)
        outside = [
            slot.pk
            for slot in Slot.objects.filter(office=office, closed=False, starts_at__gt=now)
            if not catalog.within_opening(
                opening.get(slot.day.weekday(), []),
                timezone.localtime(slot.starts_at, zone).time(),
                timezone.localtime(slot.ends_at, zone).time(),
            )
        ]
        slots = Slot.objects.filter(pk__in=outside)
        slots.update(closed=True)
        outcome = _displace(
            _active_bookings(slots),
            office=office,
            after=None,
            move=True,
            reason_id="Jam buka kantor berubah",
            reason_en="The office's opening hours changed",
            cause=f"hours:{hours_event.pk}",
            actor=actor,
            now=now,
        )
        for group in groups:
            _regenerate_unreleased(office, group, now)
    return HoursOutcome(
        office=office,
        trimmed=trimmed,
        removed=removed,
        moved=outcome.moved,
        cancelled=outcome.cancelled,
        changes=changes,
    )


def services_suspend(
    *,
    office: Office,
    groups: Iterable[str],
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    reason_id: str,
    reason_en: str = "",
    source: str,
    actor: Any,
    now: dt.datetime | None = None,
) -> Displaced:
    """An emergency stops some services at an office for a time: they are offered nowhere, their
    slots in that time close, and the bookings there are moved to the earliest free time after
    it (cancelled when no end is known), their applicants told."""
    now = now or timezone.now()
    groups = sorted(set(groups))
    with transaction.atomic():
        services_resume(source=source, actor=actor, now=now)
        catalog_services.office_services_suspend(
            office=office,
            groups=groups,
            starts_at=starts_at,
            ends_at=ends_at,
            reason_id=reason_id,
            reason_en=reason_en,
            source=source,
            actor=actor,
        )
        slots = _slots_between(office, groups, max(starts_at, now), ends_at)
        slots.update(closed=True)
        last_day = None if ends_at is None else timezone.localtime(ends_at, ZoneInfo(office.time_zone)).date()
        return _displace(
            _active_bookings(slots),
            office=office,
            after=last_day,
            move=ends_at is not None,
            reason_id=reason_id,
            reason_en=reason_en,
            cause=source,
            actor=actor,
            now=now,
        )


def _slots_between(
    office: Office, groups: Iterable[str], starts: dt.datetime, ends: dt.datetime | None
) -> Any:
    slots = Slot.objects.filter(office=office, group__in=list(groups), ends_at__gt=starts)
    return slots if ends is None else slots.filter(starts_at__lt=ends)


def services_resume(*, source: str, actor: Any, now: dt.datetime | None = None) -> None:
    """Lift a suspension early (the notice withdrawn or changed): the coming slots it closed
    open again, except on days or at times the office is closed anyway."""
    now = now or timezone.now()
    with transaction.atomic():
        suspended = list(
            OfficeService.objects.select_related("office", "service").filter(suspended_by=source)
        )
        catalog_services.office_services_resume(source=source, actor=actor)
        if not suspended:
            return
        office = suspended[0].office
        start = max(now, suspended[0].suspended_from or now)
        slots = list(
            _slots_between(
                office, {link.service.category for link in suspended}, start, suspended[0].suspended_until
            ).filter(closed=True)
        )
        if not slots:
            return
        days = sorted({slot.day for slot in slots})
        closed_days = catalog.working_calendar(office, days[0], (days[-1] - days[0]).days).closed
        opening = catalog.opening_periods(office)
        zone = ZoneInfo(office.time_zone)
        reopen = [
            slot.pk
            for slot in slots
            if slot.day not in closed_days
            and catalog.within_opening(
                opening.get(slot.day.weekday(), []),
                timezone.localtime(slot.starts_at, zone).time(),
                timezone.localtime(slot.ends_at, zone).time(),
            )
        ]
        Slot.objects.filter(pk__in=reopen).update(closed=False)


def office_reopen(*, closure: OfficeClosure, actor: Any, now: dt.datetime | None = None) -> None:
    """Remove a closure: its days can be booked again (those not closed for another reason)."""
    office, first, last = closure.office, closure.start_date, closure.end_date
    with transaction.atomic():
        catalog_services.office_closure_remove(closure=closure, actor=actor)
        still_closed = catalog.working_calendar(office, first, (last - first).days + 1).closed
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        reopened = [day for day in days if day not in still_closed]
        Slot.objects.filter(office=office, day__in=reopened).update(closed=False)
        # Days skipped when slots were made get their slots now.
        made = set(Slot.objects.filter(office=office, day__in=reopened).values_list("group", "day"))
        for group in set(ScheduleTemplate.objects.filter(office=office).values_list("group", flat=True)):
            empty = [day for day in reopened if (group, day) not in made]
            GeneratedDay.objects.filter(office=office, group=group, day__in=empty).delete()
            slots_generate(
                office=office, group=group, days=[d for d in empty if d >= catalog.office_today(office, now)]
            )


def notice_notify_bookings(*, notice: Any, now: dt.datetime | None = None) -> int:
    """An emergency notice of an office goes to everyone with a coming booking there."""
    now = now or timezone.now()
    if notice.office_id is None:
        return 0
    bookings = Booking.objects.select_related("slot", "slot__office", "application__applicant").filter(
        slot__office_id=notice.office_id, status=BookingStatus.CONFIRMED, slot__starts_at__gt=now
    )
    count = 0
    for booking in bookings:
        outbox_add(
            recipient=booking.application.applicant,
            kind="appointment.office_notice",
            dedup_key=f"notice:{notice.pk}:booking:{booking.pk}",
            context={
                **_booking_context(booking),
                "title_id": notice.title_id or notice.title_en,
                "title_en": notice.title_en or notice.title_id,
                "body_id": notice.body_id or notice.body_en,
                "body_en": notice.body_en or notice.body_id,
            },
        )
        count += 1
    return count


def token_for(booking: Booking) -> str:
    return tokens.sign(
        tokens.TokenContent(
            code=booking.code,
            office_code=booking.slot.office.code,
            starts_at=booking.slot.starts_at,
            purpose=booking.purpose,
        )
    )


# --- The office sets its hours and rules ----------------------------------------------------------


def _regenerate_unreleased(office: Office, group: str, now: dt.datetime | None = None) -> None:
    """New hours apply from the first day not yet open for booking: those days' slots (none of
    them booked, as nobody could book them) are made again from the new hours."""
    now = now or timezone.now()
    first = last_bookable_day(policy_for(office.pk, group), now, office.time_zone) + dt.timedelta(days=1)
    marked = set(
        GeneratedDay.objects.filter(office=office, group=group, day__gte=first).values_list("day", flat=True)
    )
    Slot.objects.filter(office=office, group=group, day__gte=first, booked=0).delete()
    # A day that still has a booked slot (an office-moved booking) keeps its slots.
    kept = set(Slot.objects.filter(office=office, group=group, day__gte=first).values_list("day", flat=True))
    GeneratedDay.objects.filter(office=office, group=group, day__in=marked - kept).delete()
    slots_generate(office=office, group=group, days=marked - kept)


def _require_manager(actor: Any, office: Office) -> None:
    from gerbang.accounts.permissions import Perm, require_permission

    require_permission(actor, Perm.OFFICE_MANAGE, office_id=office.pk)


@transaction.atomic
def schedule_block_add(
    *,
    office: Office,
    group: str,
    weekdays: Iterable[int],
    starts: dt.time,
    ends: dt.time,
    slot_minutes: int,
    capacity: int,
    priority_share: int = 0,
    same_day_share: int = 0,
    actor: Any,
) -> list[ScheduleTemplate]:
    """Add visiting hours on some weekdays (replacing a block that starts at the same time)."""
    _require_manager(actor, office)
    weekdays = sorted(set(weekdays))
    if not weekdays:
        raise ValidationError(_("Choose at least one day of the week."), field="weekdays")
    if starts >= ends:
        raise ValidationError(_("The hours must end after they start."), field="ends")
    if not 5 <= slot_minutes <= 240:
        raise ValidationError(_("A slot lasts between 5 and 240 minutes."), field="slot_minutes")
    if capacity < 1:
        raise ValidationError(_("A slot needs at least one place."), field="capacity")
    if priority_share + same_day_share > 100:
        raise ValidationError(_("The two shares together cannot exceed 100%."), field="priority_share")
    length = dt.datetime.combine(dt.date.min, ends) - dt.datetime.combine(dt.date.min, starts)
    if length < dt.timedelta(minutes=slot_minutes):
        raise ValidationError(_("The hours are shorter than one slot."), field="slot_minutes")
    opening = catalog.opening_periods(office)
    for weekday in weekdays:
        if not catalog.within_opening(opening.get(weekday, []), starts, ends):
            raise ValidationError(
                _(
                    "On %(day)s the office is open %(hours)s. Visiting hours must lie within the "
                    "opening hours, outside any break; change the opening hours first if needed."
                )
                % {
                    "day": Weekday(weekday).label,
                    "hours": catalog.opening_hours_text(opening.get(weekday, [])),
                },
                field="starts",
            )
    blocks = []
    for weekday in weekdays:
        clash = (
            ScheduleTemplate.objects.filter(
                office=office, group=group, weekday=weekday, starts__lt=ends, ends__gt=starts
            )
            .exclude(starts=starts)
            .exists()
        )
        if clash:
            raise ValidationError(
                _("These hours overlap other hours of the same day; remove those first."), field="starts"
            )
        block, _created = ScheduleTemplate.objects.update_or_create(
            office=office,
            group=group,
            weekday=weekday,
            starts=starts,
            defaults={
                "ends": ends,
                "slot_minutes": slot_minutes,
                "capacity": capacity,
                "priority_share": priority_share,
                "same_day_share": same_day_share,
            },
        )
        blocks.append(block)
    events.record(
        "appointment.hours_set",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={
            "group": group,
            "weekdays": weekdays,
            "from": starts.isoformat(),
            "until": ends.isoformat(),
            "slot_minutes": slot_minutes,
            "capacity": capacity,
        },
    )
    _regenerate_unreleased(office, group)
    return blocks


@transaction.atomic
def schedule_block_remove(*, block: ScheduleTemplate, actor: Any) -> None:
    _require_manager(actor, block.office)
    office, group = block.office, block.group
    events.record(
        "appointment.hours_removed",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"group": group, "weekday": block.weekday, "from": block.starts.isoformat()},
    )
    block.delete()
    _regenerate_unreleased(office, group)


@transaction.atomic
def policy_set(*, office: Office, group: str, actor: Any, **rules: Any) -> BookingPolicy:
    _require_manager(actor, office)
    if not 1 <= rules.get("release_days_ahead", 14) <= 90:
        raise ValidationError(_("Between 1 and 90 days ahead."), field="release_days_ahead")
    if not 1 <= rules.get("hold_minutes", 5) <= 30:
        raise ValidationError(_("Between 1 and 30 minutes."), field="hold_minutes")
    policy, _created = BookingPolicy.objects.update_or_create(office=office, group=group, defaults=rules)
    events.record(
        "appointment.rules_set",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"group": group, **{k: str(v) for k, v in rules.items()}},
    )
    return policy


@transaction.atomic
def quota_set(*, office: Office, service: Any, daily_limit: int | None, actor: Any) -> None:
    """Set (or, with None, remove) a service's daily quota; coming days count against it at once."""
    _require_manager(actor, office)
    today = catalog.office_today(office)
    if daily_limit is None:
        ServiceQuota.objects.filter(office=office, service=service).delete()
        QuotaDay.objects.filter(office=office, service=service, day__gte=today).delete()
    else:
        ServiceQuota.objects.update_or_create(
            office=office, service=service, defaults={"daily_limit": daily_limit}
        )
        days = set(
            Slot.objects.filter(office=office, group=service.category, day__gte=today).values_list(
                "day", flat=True
            )
        )
        booked = {
            row["slot__day"]: row["n"]
            for row in Booking.objects.filter(
                service=service, slot__office=office, slot__day__gte=today, status__in=ACTIVE
            )
            .values("slot__day")
            .annotate(n=Count("id"))
        }
        for day in days:
            QuotaDay.objects.update_or_create(
                office=office,
                service=service,
                day=day,
                defaults={"limit": max(daily_limit, booked.get(day, 0)), "booked": booked.get(day, 0)},
            )
        Booking.objects.filter(
            service=service, slot__office=office, slot__day__gte=today, status__in=ACTIVE
        ).update(counted_in_quota=True)
    events.record(
        "appointment.quota_set",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"service": service.code, "daily_limit": daily_limit},
    )
