"""Reads of the catalogue that pages, the API and later apps share."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, DateField, Prefetch, Q, QuerySet, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.catalog.models import (
    Holiday,
    Office,
    OfficeClosure,
    OfficeService,
    Requirement,
    RequirementCase,
    Service,
    ServiceTerms,
)
from gerbang.core.calendar import WorkingCalendar, local_date
from gerbang.core.formatting import clock
from gerbang.core.scoping import scope_to_offices

EARTH_RADIUS_KM = 6371.0088
# How far ahead a calendar reaches: the longest service standard with holidays in between.
CALENDAR_HORIZON_DAYS = 400


def offices_visible_to(user: object) -> QuerySet[Office]:
    return scope_to_offices(Office.objects.filter(is_active=True), user, office_field="pk")


# --- Offices -------------------------------------------------------------------------------------


def training_office_ids() -> list[int]:
    """The training offices' ids (docs/training.md): nothing done there is public."""
    return list(Office.objects.filter(is_training=True).values_list("pk", flat=True))


def public_offices() -> QuerySet[Office]:
    return Office.objects.public().prefetch_related("opening_hours")


def office_search(query: str = "") -> QuerySet[Office]:
    """Offices whose name, code, province or regency contains every word of the query."""
    offices = public_offices()
    for word in query.split():
        offices = offices.filter(
            Q(name_id__icontains=word)
            | Q(name_en__icontains=word)
            | Q(code__icontains=word)
            | Q(province__icontains=word)
            | Q(regency__icontains=word)
        )
    return offices


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), computed here: no map service is asked."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlambda = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class OfficeDistance:
    office: Office
    km: float | None


def offices_nearest_first(
    offices: QuerySet[Office] | list[Office], lat: float, lng: float
) -> list[OfficeDistance]:
    """Offices with their distance from a point, nearest first; offices without coordinates last."""
    measured = [
        OfficeDistance(
            office,
            None
            if office.latitude is None or office.longitude is None
            else distance_km(lat, lng, float(office.latitude), float(office.longitude)),
        )
        for office in offices
    ]
    return sorted(measured, key=lambda item: (item.km is None, item.km or 0.0))


def office_by_code(code: str) -> Office | None:
    """A public office by its code (never the training office: see ``staff_office_by_code``)."""
    return _with_services(public_offices(), code)


def staff_office_by_code(code: str) -> Office | None:
    """An active office by its code for the back office, the training office included."""
    return _with_services(Office.objects.filter(is_active=True).prefetch_related("opening_hours"), code)


def _with_services(offices: QuerySet[Office], code: str) -> Office | None:
    return (
        offices.prefetch_related(
            Prefetch(
                "office_services",
                queryset=OfficeService.objects.select_related("service").filter(service__is_active=True),
            )
        )
        .filter(code=code)
        .first()
    )


def office_named(code: str) -> Office | None:
    """A public office by its code, alone (one query: nothing of it prefetched)."""
    return Office.objects.public().filter(code=code).first()


def office_today(office: Office, now: datetime | None = None) -> date:
    return local_date(now or timezone.now(), office.time_zone)


# (opens, closes) wall-clock periods of one weekday, in the office's own time zone.
Periods = list[tuple[time, time]]


def opening_periods(office: Office) -> dict[int, Periods]:
    """The office's published weekly hours by weekday (0 = Monday); a day missing is closed.
    Several periods on one day leave a break between them."""
    periods: dict[int, Periods] = {}
    for hours in office.opening_hours.all():
        periods.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
    return {day: sorted(found) for day, found in periods.items()}


def within_opening(periods: Periods, starts: time, ends: time) -> bool:
    """Whether ``starts``..``ends`` lies inside one opening period (not across a break)."""
    return any(opens <= starts and ends <= closes for opens, closes in periods)


def opening_hours_text(periods: Periods) -> str:
    """``08.00–11.30, 13.00–16.00`` (``08:00–11:30, …`` in English: the language's way of
    writing a time), or "closed all day"."""  # noqa: RUF002
    if not periods:
        return str(_("closed all day"))
    return ", ".join(f"{clock(opens)}\u2013{clock(closes)}" for opens, closes in periods)


def is_open_at(office: Office, moment: datetime) -> bool:
    """Whether the office is open at ``moment``: a working day and inside its published hours."""
    local = timezone.localtime(moment, ZoneInfo(office.time_zone))
    day = local.date()
    if day in working_calendar(office, day, 0).closed:
        return False
    now = local.time().replace(tzinfo=None)
    return within_opening(opening_periods(office).get(day.weekday(), []), now, now)


def upcoming_closures(office: Office, today: date) -> QuerySet[OfficeClosure]:
    return office.closures.filter(end_date__gte=today)


def upcoming_holidays(today: date, days: int = 60) -> QuerySet[Holiday]:
    return Holiday.objects.filter(date__gte=today, date__lte=today + timedelta(days=days))


# --- Calendar ------------------------------------------------------------------------------------


def working_calendar(
    office: Office | None, start: date, horizon_days: int = CALENDAR_HORIZON_DAYS
) -> WorkingCalendar:
    """The working days from ``start`` on: weekends, the national calendar, and the office's
    own closures when an office is given."""
    end = start + timedelta(days=horizon_days)
    closed = set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))
    if office is not None:
        for first, last in office.closures.filter(end_date__gte=start, start_date__lte=end).values_list(
            "start_date", "end_date"
        ):
            day = max(first, start)
            while day <= min(last, end):
                closed.add(day)
                day += timedelta(days=1)
    return WorkingCalendar(closed)


def due_date(*, office: Office, standard_working_days: int, received_at: datetime) -> date:
    """When a decision is due: the service standard counted in the office's working days from
    the day (in the office's own time zone) the application was received."""
    received_on = local_date(received_at, office.time_zone)
    calendar = working_calendar(office, received_on)
    return calendar.add_working_days(received_on, standard_working_days)


# --- Days where each office is ------------------------------------------------------------------
# Figures that count "per day" count each office's own calendar days (a Friday night in WIB is
# Saturday in WIT). These build the conditions for a query over the rows of many offices at once:
# one condition per time zone the offices are in, joined by OR.


def office_zones() -> list[str]:
    """The time zones the offices are in (one query)."""
    return sorted(set(Office.objects.values_list("time_zone", flat=True).distinct()))


def local_day_bounds(
    zone: str, first: date | None, last: date | None
) -> tuple[datetime | None, datetime | None]:
    """The moments between which the days ``first`` to ``last`` (both included) run in ``zone``;
    None on an open side."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time.min, tzinfo=tz) if first is not None else None
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz) if last is not None else None
    return start, end


def _zone_of(office_field: str) -> str:
    """The path to the time zone of the office ``office_field`` leads to ("": offices themselves)."""
    return f"{office_field}__time_zone" if office_field else "time_zone"


def _any_of(conditions: list[Q]) -> Q:
    """Conditions joined by OR; no condition matches nothing."""
    joined = Q(pk__in=[])
    for condition in conditions:
        joined |= condition
    return joined


def on_local_days(
    field: str, first: date | None, last: date | None, *, zones: Iterable[str], office_field: str = "office"
) -> Q:
    """Rows whose moment ``field`` falls on the days ``first`` to ``last`` where the row's office
    (``office_field``, a path to an office; "" for offices themselves) is."""
    conditions = []
    for zone in zones:
        start, end = local_day_bounds(zone, first, last)
        condition = Q(**{_zone_of(office_field): zone})
        if start is not None:
            condition &= Q(**{f"{field}__gte": start})
        if end is not None:
            condition &= Q(**{f"{field}__lt": end})
        conditions.append(condition)
    return _any_of(conditions)


def before_local_today(
    field: str, *, zones: Iterable[str], office_field: str = "office", now: datetime | None = None
) -> Q:
    """Rows whose date ``field`` is before today where the row's office is (a due date passed)."""
    moment = now or timezone.now()
    return _any_of(
        [Q(**{_zone_of(office_field): zone, f"{field}__lt": local_date(moment, zone)}) for zone in zones]
    )


def local_date_of(field: str, *, zones: Iterable[str], office_field: str = "office") -> Case:
    """The calendar day of the moment ``field`` where the row's office is, as an expression."""
    return Case(
        *[
            When(**{_zone_of(office_field): zone}, then=TruncDate(field, tzinfo=ZoneInfo(zone)))
            for zone in zones
        ],
        output_field=DateField(),
    )


# --- Services, fees and standards --------------------------------------------------------------------


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True)


def service_by_code(code: str) -> Service | None:
    return (
        public_services()
        .prefetch_related("requirements", "terms")
        .prefetch_related(
            Prefetch(
                "office_services",
                queryset=OfficeService.objects.select_related("office").filter(
                    office__is_active=True, office__is_training=False
                ),
            )
        )
        .filter(code=code)
        .first()
    )


def terms_in_force(service: Service, on: date) -> ServiceTerms | None:
    """The fee and standard that apply on a day (the newest version not starting after it)."""
    versions = sorted(service.terms.all(), key=lambda t: t.effective_from, reverse=True)
    return next((t for t in versions if t.effective_from <= on), None)


def terms_coming(service: Service, after: date) -> ServiceTerms | None:
    """The next announced version, if one starts after ``after``."""
    versions = sorted(service.terms.all(), key=lambda t: t.effective_from)
    return next((t for t in versions if t.effective_from > after), None)


def requirements_for(service: Service, cases: set[str]) -> list[Requirement]:
    """The documents that apply: those for everyone plus those of the given cases."""
    wanted = cases | {RequirementCase.ALWAYS}
    return [r for r in service.requirements.all() if r.applies_to in wanted]


def services_by_category() -> dict[str, list[Service]]:
    grouped: dict[str, list[Service]] = {}
    for service in public_services().prefetch_related("terms"):
        grouped.setdefault(service.category, []).append(service)
    return grouped


def offices_offering_now(service: Service, at: datetime | None = None) -> QuerySet[Office]:
    """The active offices that can take this service now (switched on, not suspended), by name;
    the same rule as ``OfficeService.is_offered``."""
    moment = at or timezone.now()
    suspended = Q(suspended_from__lte=moment) & (
        Q(suspended_until__isnull=True) | Q(suspended_until__gt=moment)
    )
    offered = OfficeService.objects.filter(service=service, is_available=True).exclude(
        Q(suspended_by__gt="") & suspended
    )
    return Office.objects.public().filter(office_services__in=offered).order_by("name_id")


def offices_offering(service: Service) -> list[Any]:
    """The office links (with availability) of a service, offices by name."""
    return sorted(service.office_services.all(), key=lambda link: str(link.office.name))
