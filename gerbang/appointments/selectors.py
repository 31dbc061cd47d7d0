"""Reading slots and bookings: which days can be booked and, when not, why."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.applications.models import Application
from gerbang.applications.selectors import NextStep
from gerbang.applications.workflow import State
from gerbang.appointments import tokens
from gerbang.appointments.models import (
    ACTIVE,
    Booking,
    BookingPolicy,
    BookingStatus,
    Purpose,
    QuotaDay,
    ScheduleTemplate,
    Slot,
)
from gerbang.appointments.places import VISIT_PURPOSE
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Holiday, Office, OfficeClosure, OfficeService, Service
from gerbang.core.calendar import day_bounds, years_later
from gerbang.core.figures import Figure, figures
from gerbang.core.formatting import moment
from gerbang.core.memo import ProcessMemo
from gerbang.core.scoping import scope_to_offices

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


def release_moment(policy: BookingPolicy, day: dt.date, zone: str) -> dt.datetime:
    """When ``day`` opens for booking: the release time, so many days before it, office time."""
    opens_on = day - dt.timedelta(days=policy.release_days_ahead)
    return dt.datetime.combine(opens_on, policy.release_time, tzinfo=ZoneInfo(zone))


def last_bookable_day(policy: BookingPolicy, now: dt.datetime, zone: str) -> dt.date:
    local = timezone.localtime(now, ZoneInfo(zone))
    days = policy.release_days_ahead - (0 if local.time() >= policy.release_time else 1)
    return local.date() + dt.timedelta(days=days)


def purpose_of(application: Application) -> Purpose | None:
    return VISIT_PURPOSE.get(State(application.state))


def active_booking(application: Application) -> Booking | None:
    return (
        Booking.objects.select_related("slot", "slot__office")
        .filter(application=application, status__in=ACTIVE)
        .first()
    )


def token_for(booking: Booking) -> str:
    return tokens.sign(
        tokens.TokenContent(
            code=booking.code,
            office_code=booking.slot.office.code,
            starts_at=booking.slot.starts_at,
            purpose=booking.purpose,
        )
    )


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


def last_shown_day(office: Office, group: str, now: dt.datetime | None = None) -> dt.date:
    """The last day ``availability`` shows: the last bookable one and the preview beyond it
    (``services.slots_ensure_shown`` makes the slots up to it before a page reads them)."""
    now = now or timezone.now()
    policy = policy_for(office.pk, group)
    return last_bookable_day(policy, now, office.time_zone) + dt.timedelta(days=PREVIEW_DAYS)


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
    places, or why not (full, not yet released with the time it opens, closed, suspended).
    The caller has made the slots of these days (``services.slots_ensure_shown``)."""
    now = now or timezone.now()
    group = service.category
    policy = policy_for(office.pk, group)
    today = catalog.office_today(office, now)
    last_open = last_bookable_day(policy, now, office.time_zone)
    last_shown = last_open + dt.timedelta(days=PREVIEW_DAYS)
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
                    release_at=release_moment(policy, day, office.time_zone),
                )
            )
            continue
        same_day = day == today
        views = []
        for slot in by_day.get(day, []):
            free = (
                0
                if slot.closed or slot.starts_at - BOOKING_LEAD <= now
                else slot.free_for(priority=priority, same_day=same_day)
            )
            if exclude_booking is not None and exclude_booking.slot_id == slot.pk:
                free = 0
            views.append(SlotView(slot, free))
        if views and all(v.slot.starts_at - BOOKING_LEAD <= now for v in views):
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
    policy = policy_for(booking.slot.office_id, booking.slot.group)
    return booking.slot.starts_at - dt.timedelta(hours=policy.change_cutoff_hours)


def can_change(booking: Booking, now: dt.datetime | None = None) -> bool:
    return booking.status == BookingStatus.CONFIRMED and (now or timezone.now()) < change_deadline(booking)


def reschedules_left(booking: Booking) -> int:
    policy = policy_for(booking.slot.office_id, booking.slot.group)
    return max(0, policy.max_reschedules - booking.reschedules)


def office_day_bookings(office: Office, day: dt.date) -> QuerySet[Booking]:
    return (
        Booking.objects.select_related("slot", "application", "service")
        .filter(slot__office=office, slot__day=day)
        .exclude(status__in=[BookingStatus.LAPSED])
        .order_by("slot__starts_at", "created_at")
    )


# --- Missed appointments: booked, and the time passed without a check-in ---------------------------

# The bookings whose visit was due: kept until the slot ended (checked in, served, gone when called,
# or still only booked: missed).
VISIT_DUE = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.DONE, BookingStatus.NO_SHOW)


def missed_q(now: dt.datetime | None = None) -> Q:
    """Booked, and the slot ended without a check-in (nor a visit recorded on the case)."""
    return Q(status=BookingStatus.CONFIRMED, slot__ends_at__lte=now or timezone.now())


def missed_bookings(
    user: Any, *, first: dt.date, last: dt.date, office_id: int | None = None, now: dt.datetime | None = None
) -> QuerySet[Booking]:
    """The appointments of ``user``'s offices on the days ``first`` to ``last`` (the offices'
    own) that were missed, by time."""
    rows = scope_to_offices(Booking.objects.all(), user, office_field="slot__office").filter(
        missed_q(now), slot__day__gte=first, slot__day__lte=last
    )
    if office_id is not None:
        rows = rows.filter(slot__office_id=office_id)
    return rows.select_related("slot__office", "application", "service").order_by("slot__starts_at", "id")


@dataclass(frozen=True)
class MissedCount:
    due: int = 0  # appointments whose time has passed
    missed: int = 0


def missed_counts(
    user: Any, office_ids: list[int], *, first: dt.date, last: dt.date, now: dt.datetime | None = None
) -> dict[int, MissedCount]:
    """Per office of ``office_ids``: the appointments of the days ``first`` to ``last`` whose
    time has passed, and of them the missed ones (``missed_bookings``). One query."""
    moment = now or timezone.now()
    rows = (
        scope_to_offices(Booking.objects.all(), user, office_field="slot__office")
        .filter(
            slot__office_id__in=office_ids,
            slot__day__gte=first,
            slot__day__lte=last,
            slot__ends_at__lte=moment,
            status__in=VISIT_DUE,
        )
        .values("slot__office_id")
        .annotate(due=Count("id"), missed=Count("id", filter=missed_q(moment)))
        .order_by()
    )
    return {row["slot__office_id"]: MissedCount(due=row["due"], missed=row["missed"]) for row in rows}


def day_summary(office: Office, day: dt.date) -> list[dict[str, Any]]:
    """Per slot of a day: places, booked, priority, closed (for the office's own page)."""
    return [
        {"slot": slot, "free": slot.capacity - slot.booked}
        for slot in Slot.objects.filter(office=office, day=day).order_by("group", "starts_at")
    ]


def visit_step(application: Application) -> NextStep:
    """What a case waiting for a visit asks of its applicant now: follow the ticket once checked
    in, come at the booked time, or book one (``applications.selectors.next_step`` asks here)."""
    state = application.state
    arrived = (
        Booking.objects.filter(application=application, status=BookingStatus.CHECKED_IN)
        .prefetch_related("tickets")
        .first()
    )
    ticket = arrived.tickets.order_by("id").first() if arrived else None
    if ticket is not None:
        return NextStep(
            _(
                "You are checked in at %(office)s with ticket %(ticket)s. Follow your turn on the ticket page; the board calls your number."
            )
            % {"office": application.office.name, "ticket": ticket.number},
            "ticket",
            token=ticket.token,
        )
    booking = (
        Booking.objects.select_related("slot")
        .filter(application=application, status=BookingStatus.CONFIRMED)
        .first()
    )
    when = moment(booking.slot.starts_at, application.office) if booking else ""
    if state == State.AWAITING_APPOINTMENT and booking:
        return NextStep(
            _(
                "Come to %(office)s on %(when)s for the interview and biometrics (photo and fingerprints), bringing the original documents and your booking code %(code)s."
            )
            % {"office": application.office.name, "when": when, "code": booking.code},
            "appointment",
        )
    if state == State.AWAITING_APPOINTMENT:
        return NextStep(
            _("Book a time to come to %(office)s for the interview and biometrics (photo and fingerprints).")
            % {"office": application.office.name},
            "book",
        )
    if booking:
        return NextStep(
            _(
                "Collect your document at %(office)s on %(when)s; bring your identity card and booking code %(code)s."
            )
            % {"office": application.office.name, "when": when, "code": booking.code},
            "appointment",
        )
    return NextStep(
        _("Your document is ready. Book a time to collect it at %(office)s; bring your identity card.")
        % {"office": application.office.name},
        "book",
    )


# --- What the bookings hold about a person (UU PDP; ``appointments/data_subject.py``) ----------


def visits_retention_years() -> int:
    return int(settings.DATA_RETENTION_YEARS["visits"])


def visits_cutoff_day(now: dt.datetime) -> dt.date:
    """Bookings for a day before this one are past their retention period at ``now``."""
    return years_later(timezone.localdate(now), -visits_retention_years())


def visit_kept_until(day: dt.date) -> dt.date:
    return years_later(day, visits_retention_years())


def bookings_of_person(person: Any) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(application__applicant=person)
        .select_related("slot__office", "service", "application")
        .order_by("created_at", "pk")
    )


def priorities_past_retention(cutoff_day: dt.date) -> QuerySet[Booking]:
    """Bookings past their period that still say why their visitor had priority."""
    return Booking.objects.filter(slot__day__lt=cutoff_day).exclude(priority_reason="")


def day_figures(office: Office, day: dt.date) -> list[Figure]:
    """For the public statistics (``core.figures``): per booking held at ``office`` on ``day``
    and confirmed, the calendar days from that day to the first free day its applicant was
    shown (``lead_days``; bookings without a noted first free day are not counted)."""
    start, end = day_bounds(day, office.time_zone)
    counts: Counter[tuple[int, str, int]] = Counter()
    rows = Booking.objects.filter(
        slot__office=office,
        created_at__gte=start,
        created_at__lt=end,
        confirmed_at__isnull=False,
        first_free_day__isnull=False,
    ).values_list("service_id", "first_free_day")
    for service_id, first_free in rows:
        if first_free is None:  # filtered out; says so to the type checker
            continue
        counts[(service_id, "lead_days", max((first_free - day).days, 0))] += 1
    return figures(counts)
