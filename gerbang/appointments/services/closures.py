"""The office closes or stops services (an emergency): slots close, bookings are moved or
cancelled and their applicants told; and the office's notices reach its bookings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gerbang.appointments.models import ACTIVE, Booking, BookingStatus, GeneratedDay, ScheduleTemplate, Slot
from gerbang.appointments.places import end, give_back, take_place, take_quota
from gerbang.appointments.selectors import BOOKING_LEAD, last_bookable_day, policy_for
from gerbang.appointments.services.records import _booking_context, _record
from gerbang.appointments.services.slots import GENERATION_MARGIN_DAYS, slots_ensure, slots_generate
from gerbang.catalog import selectors as catalog
from gerbang.catalog import services as catalog_services
from gerbang.catalog.models import Office, OfficeClosure, OfficeService
from gerbang.core import events
from gerbang.core.actors import Actor
from gerbang.notifications.services import outbox_add


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
    actor: Actor,
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
            actor=actor,
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
    actor: Actor,
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


def services_suspend(
    *,
    office: Office,
    groups: Iterable[str],
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    reason_id: str,
    reason_en: str = "",
    source: str,
    actor: Actor,
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


def services_resume(*, source: str, actor: Actor, now: dt.datetime | None = None) -> None:
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


def office_reopen(*, closure: OfficeClosure, actor: Actor, now: dt.datetime | None = None) -> None:
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
