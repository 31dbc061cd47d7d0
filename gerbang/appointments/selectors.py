"""Reading slots and bookings: which days can be booked and, when not, why."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.applications.models import Application
from gerbang.appointments import services
from gerbang.appointments.models import Booking, BookingStatus, QuotaDay, ScheduleTemplate, Slot
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Holiday, Office, OfficeClosure, OfficeService, Service


class DayStatus:
    OPEN = "open"
    FULL = "full"
    NOT_RELEASED = "not_released"
    CLOSED = "closed"
    SUSPENDED = "suspended"


@dataclass
class SlotView:
    slot: Slot
    free: int

    @property
    def bookable(self) -> bool:
        return self.free > 0


@dataclass
class DayView:
    day: dt.date
    status: str
    free: int = 0
    reason: str = ""
    release_at: dt.datetime | None = None
    slots: list[SlotView] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status == DayStatus.OPEN


# Days shown beyond the last bookable one, marked "not yet released" with their release time.
PREVIEW_DAYS = 7


def _closure_reasons(office: Office, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    reasons: dict[dt.date, str] = {}
    for holiday in Holiday.objects.filter(date__gte=first, date__lte=last):
        reasons[holiday.date] = str(holiday.name)
    for closure in OfficeClosure.objects.filter(office=office, end_date__gte=first, start_date__lte=last):
        day = max(closure.start_date, first)
        while day <= min(closure.end_date, last):
            reasons[day] = str(closure.reason) or _("Office closed")
            day += dt.timedelta(days=1)
    return reasons


def availability(
    office: Office,
    service: Service,
    *,
    priority: bool = False,
    now: dt.datetime | None = None,
    exclude_booking: Booking | None = None,
) -> list[DayView]:
    """Each coming day the office receives visitors for this service: open with its free
    places, or why not (full, not yet released with the time it opens, closed, suspended)."""
    now = now or timezone.now()
    group = service.category
    policy = services.policy_for(office.pk, group)
    today = catalog.office_today(office, now)
    last_open = services.last_bookable_day(policy, now, office.time_zone)
    last_shown = last_open + dt.timedelta(days=PREVIEW_DAYS)
    services.slots_ensure(office=office, group=group, until=last_shown, now=now)
    weekdays = set(
        ScheduleTemplate.objects.filter(office=office, group=group).values_list("weekday", flat=True)
    )
    if not weekdays:
        return []
    closed = _closure_reasons(office, today, last_shown)
    link = OfficeService.objects.select_related("office").filter(office=office, service=service).first()
    by_day: dict[dt.date, list[Slot]] = defaultdict(list)
    for slot in Slot.objects.filter(office=office, group=group, day__gte=today, day__lte=last_open).order_by(
        "starts_at"
    ):
        by_day[slot.day].append(slot)
    quotas = {
        q.day: q.limit - q.booked
        for q in QuotaDay.objects.filter(office=office, service=service, day__gte=today, day__lte=last_open)
    }
    days: list[DayView] = []
    for offset in range((last_shown - today).days + 1):
        day = today + dt.timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        if day in closed:
            days.append(DayView(day, DayStatus.CLOSED, reason=closed[day]))
            continue
        blocked = "" if link is None else link.blocked_on(day)
        if blocked is not None:
            reason = blocked
            days.append(
                DayView(day, DayStatus.SUSPENDED, reason=reason or _("The service is not offered here now."))
            )
            continue
        if day > last_open:
            days.append(
                DayView(
                    day,
                    DayStatus.NOT_RELEASED,
                    release_at=services.release_moment(policy, day, office.time_zone),
                )
            )
            continue
        same_day = day == today
        views = []
        for slot in by_day.get(day, []):
            free = (
                0
                if slot.closed or slot.starts_at - services.BOOKING_LEAD <= now
                else slot.free_for(priority=priority, same_day=same_day)
            )
            if exclude_booking is not None and exclude_booking.slot_id == slot.pk:
                free = 0
            views.append(SlotView(slot, free))
        if views and all(v.slot.starts_at - services.BOOKING_LEAD <= now for v in views):
            continue  # today's times are over: not a day to offer, nor to call full
        quota_left = quotas.get(day)
        if quota_left is not None and quota_left <= 0:
            days.append(
                DayView(
                    day, DayStatus.FULL, reason=_("The daily quota for this service is used up."), slots=views
                )
            )
            continue
        free = sum(v.free for v in views)
        if quota_left is not None:
            free = min(free, quota_left)
        if free <= 0:
            days.append(DayView(day, DayStatus.FULL, reason=_("Every place is taken."), slots=views))
        else:
            days.append(DayView(day, DayStatus.OPEN, free=free, slots=views))
    return days


def bookings_of(application: Application) -> QuerySet[Booking]:
    return Booking.objects.select_related("slot", "slot__office").filter(application=application)


def booking_by_code(code: str) -> Booking | None:
    return (
        Booking.objects.select_related("slot", "slot__office", "application", "application__service")
        .filter(code=code)
        .first()
    )


def change_deadline(booking: Booking) -> dt.datetime:
    policy = services.policy_for(booking.slot.office_id, booking.slot.group)
    return booking.slot.starts_at - dt.timedelta(hours=policy.change_cutoff_hours)


def can_change(booking: Booking, now: dt.datetime | None = None) -> bool:
    return booking.status == BookingStatus.CONFIRMED and (now or timezone.now()) < change_deadline(booking)


def reschedules_left(booking: Booking) -> int:
    policy = services.policy_for(booking.slot.office_id, booking.slot.group)
    return max(0, policy.max_reschedules - booking.reschedules)


def office_day_bookings(office: Office, day: dt.date) -> QuerySet[Booking]:
    return (
        Booking.objects.select_related("slot", "application", "service")
        .filter(slot__office=office, slot__day=day)
        .exclude(status__in=[BookingStatus.LAPSED])
        .order_by("slot__starts_at", "created_at")
    )


def day_summary(office: Office, day: dt.date) -> list[dict[str, Any]]:
    """Per slot of a day: places, booked, priority, closed (for the office's own page)."""
    return [
        {"slot": slot, "free": slot.capacity - slot.booked}
        for slot in Slot.objects.filter(office=office, day=day).order_by("group", "starts_at")
    ]
