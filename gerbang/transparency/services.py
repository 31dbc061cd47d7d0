"""Keeping the public statistics' figures (models.py) equal to the cases they count.

A case that moves marks its office's day stale (``case_day_stale``, in the move's
transaction); ``figures_refresh`` (every minute, huey) computes the stale days again from the
cases, then their months, the national months and which counts are withheld; the nightly
``figures_reconcile`` marks every office's recent days stale, so that anything a subscriber
missed (a change made outside the services, a bug) is put right within a day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gerbang.applications.selectors import statistics as case_statistics
from gerbang.appointments import selectors as appointment_selectors
from gerbang.catalog.models import Office
from gerbang.core.actors import Actor
from gerbang.core.calendar import local_date, months_later
from gerbang.core.figures import Figure
from gerbang.core.models import Event
from gerbang.feedback import report_selectors
from gerbang.payments import selectors as payment_selectors
from gerbang.queueing.selectors import figures as queue_figures
from gerbang.transparency import selectors
from gerbang.transparency.models import ALL, COUNTED, DailyFigure, MonthlyFigure, PeriodFigure, StaleDay
from gerbang.transparency.suppression import period_suppressed_cells, suppressed_cells

# Where the figures of an office day come from: each app counts its own (``core.figures``).
SOURCES: tuple[Callable[[Office, date], list[Figure]], ...] = (
    case_statistics.day_figures,
    appointment_selectors.day_figures,
    queue_figures.public_day_figures,
    payment_selectors.day_figures,
    report_selectors.day_figures,
)

RECONCILE_DAYS = 40
logger = logging.getLogger(__name__)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _stale(pairs: Iterable[tuple[int, date]]) -> None:
    """Mark these office days stale; never the training office's (docs/training.md): nothing
    done there is counted, so it has no figures to keep."""
    wanted = set(pairs)
    training = set(
        Office.objects.filter(pk__in={office for office, _day in wanted}, is_training=True).values_list(
            "pk", flat=True
        )
    )
    rows = [StaleDay(office_id=office, day=day) for office, day in wanted if office not in training]
    StaleDay.objects.bulk_create(rows, ignore_conflicts=True)


def office_moments_stale(office: Office | None, *moments: datetime | None) -> None:
    """The office's days of these moments are stale (a visit booked, a visitor served, a bill
    paid, a complaint received or closed); nothing for no office (the national unit's reports)."""
    if office is not None:
        _stale((office.pk, local_date(moment, office.time_zone)) for moment in moments if moment is not None)


def case_day_stale(application: Any, at: datetime, *, reversed_decision: bool = False) -> None:
    """The day ``application`` moved at its office is stale; so is the day of the decision a
    reversal takes back (it stops counting there)."""
    office = application.office
    days = {local_date(at, office.time_zone)}
    if reversed_decision:
        decided = (
            Event.objects.filter(
                subject_type=case_statistics.SUBJECT_TYPE,
                subject_id=str(application.pk),
                code__in=("application.approve", "application.reject"),
            )
            .order_by("-created_at", "-pk")
            .values_list("created_at", flat=True)
            .first()
        )
        if decided is not None:
            days.add(local_date(decided, office.time_zone))
    _stale((office.pk, day) for day in days)


def _day_refresh(office: Office, day: date) -> None:
    DailyFigure.objects.filter(office_id=office.pk, day=day).delete()
    if office.is_training:
        return
    DailyFigure.objects.bulk_create(
        [
            DailyFigure(
                day=day,
                office_id=office.pk,
                service_id=figure.service_id,
                measure=figure.measure,
                bucket=figure.bucket,
                count=figure.count,
            )
            for source in SOURCES
            for figure in source(office, day)
        ]
    )


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _office_month_refresh(office_id: int, month: date) -> None:
    """The office's rows of ``month``, per service and for all its services, from its days."""
    rows = (
        DailyFigure.objects.filter(office_id=office_id, day__gte=month, day__lt=_next_month(month))
        .values("service_id", "measure", "bucket")
        .annotate(total=Sum("count"))
    )
    totals: dict[tuple[int, str, int], int] = defaultdict(int)
    for row in rows:
        # A figure of no one service (ANY_SERVICE, which is ALL) counts for all services only.
        if row["service_id"] != ALL:
            totals[(row["service_id"], row["measure"], row["bucket"])] += row["total"]
        totals[(ALL, row["measure"], row["bucket"])] += row["total"]
    MonthlyFigure.objects.filter(office_id=office_id, month=month).delete()
    MonthlyFigure.objects.bulk_create(
        [
            MonthlyFigure(
                month=month,
                office_id=office_id,
                service_id=service,
                measure=measure,
                bucket=bucket,
                count=count,
            )
            for (service, measure, bucket), count in totals.items()
            if count
        ]
    )


def _national_month_refresh(month: date) -> None:
    """The national rows of ``month`` from the offices', then which counts are withheld."""
    rows = (
        MonthlyFigure.objects.filter(month=month)
        .exclude(office_id=ALL)
        .values("service_id", "measure", "bucket")
        .annotate(total=Sum("count"))
    )
    MonthlyFigure.objects.filter(month=month, office_id=ALL).delete()
    MonthlyFigure.objects.bulk_create(
        [
            MonthlyFigure(
                month=month,
                office_id=ALL,
                service_id=row["service_id"],
                measure=row["measure"],
                bucket=row["bucket"],
                count=row["total"],
            )
            for row in rows
            if row["total"]
        ]
    )
    k = settings.STATISTICS_MIN_CELL
    for measure, bucket in sorted(COUNTED):
        cells = {
            (office, service): (pk, count)
            for pk, office, service, count in MonthlyFigure.objects.filter(
                month=month, measure=measure, bucket=bucket
            ).values_list("pk", "office_id", "service_id", "count")
        }
        withheld = suppressed_cells({cell: count for cell, (_pk, count) in cells.items()}, k)
        ids = [cells[cell][0] for cell in withheld]
        MonthlyFigure.objects.filter(month=month, measure=measure, bucket=bucket).exclude(pk__in=ids).filter(
            suppressed=True
        ).update(suppressed=False)
        MonthlyFigure.objects.filter(pk__in=ids).update(suppressed=True)


def figures_refresh(*, actor: Actor, limit: int = 500) -> int:
    """Compute the stale office days again (at most ``limit``), then their months and the
    national months. Returns how many days were computed."""
    with transaction.atomic():
        stale = list(StaleDay.objects.select_for_update().order_by("day", "office_id")[:limit])
        if not stale:
            return 0
        StaleDay.objects.filter(pk__in=[row.pk for row in stale]).delete()
        offices = Office.objects.in_bulk({row.office_id for row in stale})
        months: set[tuple[int, date]] = set()
        for row in stale:
            office = offices.get(row.office_id)
            if office is None:
                DailyFigure.objects.filter(office_id=row.office_id, day=row.day).delete()
            else:
                _day_refresh(office, row.day)
            months.add((row.office_id, month_of(row.day)))
        for office_id, month in sorted(months):
            _office_month_refresh(office_id, month)
        touched = sorted({month for _office, month in months})
        for month in touched:
            _national_month_refresh(month)
        for first, last in sorted(periods_touched(touched)):
            period_refresh(first, last)
        transaction.on_commit(selectors.figures_changed)
    logger.info("statistics: %d office days computed again (%s)", len(stale), actor)
    return len(stale)


def periods_touched(months: Iterable[date], today: date | None = None) -> set[tuple[date, date]]:
    """The kept periods (first and last month) that hold any of ``months``: the last 6, 12 and
    24 complete months, and each month's calendar quarter and year once they are over. A quarter
    or a year still going on is not kept: nothing reads it before it closes (the pages read the
    complete months, the releases and reports closed periods), and counting a year again each
    minute that one of its days changed would cost the every-minute task seconds at national
    scale."""
    current = (today or timezone.localdate()).replace(day=1)
    rolling = {
        (found[0], found[-1]) for found in (selectors.months_back(n, today) for n in selectors.PERIODS)
    }
    periods: set[tuple[date, date]] = set()
    for month in months:
        quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        for first, last in (
            (quarter, months_later(quarter, 2)),
            (month.replace(month=1), month.replace(month=12)),
        ):
            if last < current:
                periods.add((first, last))
        periods |= {(first, last) for first, last in rolling if first <= month <= last}
    return periods


def period_refresh(first: date, last: date) -> None:
    """The counts of the months from ``first`` to ``last`` added up, for every office and service
    and their totals, and which are withheld: on the period's own table, and wherever a count
    would give away a withheld month (``suppression.period_suppressed_cells``). Durations are not kept
    here: their percentiles are read from the months (``selectors``)."""
    measures = sorted({measure for measure, _bucket in COUNTED})
    totals: dict[tuple[str, int], dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    months: dict[tuple[str, int], dict[date, dict[tuple[int, int], tuple[int, bool]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for month, office, service, measure, bucket, count, suppressed in MonthlyFigure.objects.filter(
        month__gte=first, month__lte=last, measure__in=measures
    ).values_list("month", "office_id", "service_id", "measure", "bucket", "count", "suppressed"):
        if (measure, bucket) not in COUNTED:
            continue
        totals[(measure, bucket)][(office, service)] += count
        months[(measure, bucket)][month][(office, service)] = (count, suppressed)
    k = settings.STATISTICS_MIN_CELL
    rows = []
    for (measure, bucket), counts in totals.items():
        tables = list(months[(measure, bucket)].values())
        withheld = period_suppressed_cells(
            [{cell: count for cell, (count, _hidden) in table.items()} for table in tables],
            [{cell for cell, (_count, hidden) in table.items() if hidden} for table in tables],
            k,
        )
        rows += [
            PeriodFigure(
                first=first,
                last=last,
                office_id=office,
                service_id=service,
                measure=measure,
                bucket=bucket,
                count=count,
                suppressed=(office, service) in withheld,
            )
            for (office, service), count in counts.items()
            if count
        ]
    PeriodFigure.objects.filter(first=first, last=last).delete()
    PeriodFigure.objects.bulk_create(rows, batch_size=1000)


def periods_ensure(*, today: date | None = None) -> int:
    """Compute the last 6, 12 and 24 complete months, and the quarter and year that ended with
    the last month, if they are not kept yet (a new month has begun since). Returns how many
    were computed."""
    made = 0
    last_month = months_later((today or timezone.localdate()).replace(day=1), -1)
    for first, last in sorted(periods_touched([last_month], today)):
        if not PeriodFigure.objects.filter(first=first, last=last).exists():
            with transaction.atomic():
                period_refresh(first, last)
            made += 1
    if made:
        transaction.on_commit(selectors.figures_changed)
    return made


def figures_refresh_all(*, actor: Actor) -> int:
    """``figures_refresh`` until no stale day is left (each batch its own transaction).
    Returns how many days were computed."""
    done = 0
    while computed := figures_refresh(actor=actor):
        done += computed
    periods_ensure()
    return done


def _offices() -> list[int]:
    """Every office the figures are kept for: those with cases, and any other still open (its
    visitors, bills and complaints count too)."""
    return sorted(
        (
            set(case_statistics.offices_with_cases())
            | set(Office.objects.public().values_list("pk", flat=True))
        )
        - set(Office.objects.filter(is_training=True).values_list("pk", flat=True))
    )


def figures_reconcile(*, actor: Actor, days: int = RECONCILE_DAYS, today: date | None = None) -> int:
    """Mark the last ``days`` days of every office with cases stale (the nightly check that the
    figures equal the cases), then compute them. Returns how many days were computed."""
    last = today or timezone.localdate()
    _stale((office, last - timedelta(days=n)) for office in _offices() for n in range(days))
    return figures_refresh_all(actor=actor)


def figures_rebuild(*, actor: Actor, first: date, last: date) -> int:
    """Compute every day from ``first`` to ``last`` of every office with cases (the demo's
    history, a new installation, a change of how a figure is counted)."""
    span = (last - first).days + 1
    _stale((office, first + timedelta(days=n)) for office in _offices() for n in range(span))
    return figures_refresh_all(actor=actor)
