"""Which cases count as overdue, decided in a period, decided late, or decided by someone: the one
definition the work queue filters by and the supervisors' dashboards count by, so a figure and
the list behind it always agree. Days are each office's own (a Friday night in WIB is Saturday in
WIT); ``zones`` are the offices' time zones (``catalog.selectors.office_zones``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import BigIntegerField, F, Q, QuerySet
from django.db.models.functions import Cast

from gerbang.applications.models import Application
from gerbang.applications.selectors.timeline import SUBJECT_TYPE
from gerbang.applications.workflow import OPEN_AT_OFFICE, Action
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import before_local_today, local_date_of, local_day_bounds, on_local_days
from gerbang.core.models import Event

# The largest id a database column holds: a bigger one (typed into an address) names nobody.
ID_MAX = 2**63 - 1
DECISION_CODES = tuple(f"application.{action}" for action in (Action.APPROVE, Action.REJECT))


def overdue(*, zones: Iterable[str], now: datetime | None = None) -> Q:
    """Owed a decision by the office (``OPEN_AT_OFFICE``) and past its due date."""
    return Q(state__in=OPEN_AT_OFFICE, due_date__isnull=False) & before_local_today(
        "due_date", zones=zones, now=now
    )


def decided_on(first: date | None, last: date | None, *, zones: Iterable[str]) -> Q:
    """The standing decision (approved or refused, not reversed) was taken on the days ``first``
    to ``last`` (either may be open)."""
    return Q(decided_at__isnull=False) & on_local_days("decided_at", first, last, zones=zones)


def with_decided_day(cases: QuerySet[Application], *, zones: Iterable[str]) -> QuerySet[Application]:
    """``cases`` with ``decided_day``: the day of their standing decision where the office is."""
    return cases.annotate(decided_day=local_date_of("decided_at", zones=zones))


# Decided on a day after the due date: a breach of the service standard (``with_decided_day``).
DECIDED_LATE = Q(due_date__isnull=False, decided_day__gt=F("due_date"))


def decision_events(first: date | None, last: date | None, *, offices: Iterable[Office]) -> QuerySet[Event]:
    """The decisions (approve, reject events) taken at ``offices`` on the days ``first`` to
    ``last`` where each office is, reversed ones too."""
    by_zone: dict[str, list[int]] = {}
    for office in offices:
        by_zone.setdefault(office.time_zone, []).append(office.pk)
    window = Q(pk__in=[])
    for zone, office_ids in by_zone.items():
        start, end = local_day_bounds(zone, first, last)
        part = Q(office_id__in=office_ids)
        if start is not None:
            part &= Q(created_at__gte=start)
        if end is not None:
            part &= Q(created_at__lt=end)
        window |= part
    return Event.objects.filter(window, subject_type=SUBJECT_TYPE, code__in=DECISION_CODES)


def decided_by(events: QuerySet[Event], actor_id: int) -> Q:
    """The cases ``actor_id`` took one of ``events`` on."""
    if not 0 < actor_id <= ID_MAX:
        return Q(pk__in=[])
    return Q(
        pk__in=events.filter(actor_id=actor_id)
        .annotate(case_id=Cast("subject_id", output_field=BigIntegerField()))
        .values("case_id")
    )
