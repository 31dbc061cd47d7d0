"""Reading the public statistics: one office (or all) and one service (or all) over a run of
months, with what is withheld left out (``None``) everywhere, the same for pages, files and the
API. Derived figures follow their counts: a rate or a share is shown only when every count it is
made of is shown; a duration's percentiles only for at least ``STATISTICS_MIN_CELL`` cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from gerbang.catalog.models import Office, Service
from gerbang.catalog.selectors import terms_in_force
from gerbang.core.cache import Versioned
from gerbang.transparency.models import ALL, DailyFigure, MonthlyFigure

FIGURES = Versioned("transparency:figures:version")
CACHE_SECONDS = 10 * 60
COUNTS = ("submitted", "approved", "rejected", "withdrawn", "expired")
PERIODS = (6, 12, 24)
DEFAULT_PERIOD = 12
PERCENTILES = (50, 80, 95)


@dataclass(frozen=True)
class Percentiles:
    cases: int
    p50: int | None
    p80: int | None
    p95: int | None


@dataclass
class Month:
    month: date
    counts: dict[str, int | None] = field(default_factory=dict)
    decided: int | None = None
    approval_rate: float | None = None  # approved / (approved + rejected), 0..1
    within: float | None = None  # decisions by their due date / decisions, 0..1
    decision_days: Percentiles | None = None
    ready_days: Percentiles | None = None
    partial: bool = False  # the month is not over yet


@dataclass
class Summary:
    """The figures of one office (or all) and one service (or all) over ``months``."""

    office_id: int
    service_id: int
    months: list[Month]  # complete months
    period: Month  # the complete months together, their counts summed
    current: Month  # the present month so far (not in the period: its figures still grow)
    standard_days: int | None  # the service standard, when one service is chosen

    @property
    def every_month(self) -> list[Month]:
        """The complete months and the present one, as tables and charts list them."""
        return [*self.months, self.current]


def months_back(count: int, today: date | None = None) -> list[date]:
    """The first days of the last ``count`` complete months, the latest last."""
    months = [(today or timezone.localdate()).replace(day=1)]
    while len(months) <= count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months[:-1]


def percentiles(buckets: dict[int, int]) -> Percentiles:
    """Nearest-rank percentiles of durations given as {working days: cases}; None below the
    threshold of cases."""
    cases = sum(buckets.values())
    if cases < settings.STATISTICS_MIN_CELL:
        return Percentiles(cases, None, None, None)
    found: list[int | None] = []
    ordered = sorted(buckets.items())
    for share in PERCENTILES:
        rank = -(-share * cases // 100)  # ceil(share% of cases), at least 1
        seen = 0
        for days, count in ordered:
            seen += count
            if seen >= rank:
                found.append(days)
                break
    return Percentiles(cases, *found)


def _ratio(part: int | None, whole: int | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _shown_sum(values: Iterable[int | None]) -> int | None:
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _month(month: date, rows: Sequence[Any], partial: bool) -> Month:
    counts: dict[str, int | None] = dict.fromkeys(COUNTS, 0)
    within: dict[int, int | None] = {0: 0, 1: 0}
    decision: dict[int, int] = defaultdict(int)
    ready: dict[int, int] = defaultdict(int)
    for measure, bucket, count, suppressed in rows:
        value = None if suppressed else count
        if measure in counts:
            counts[measure] = value
        elif measure == "decision_within":
            within[bucket] = value
        elif measure == "decision_days":
            decision[bucket] += count
        elif measure == "ready_days":
            ready[bucket] += count
    return _figures(month, counts, within, decision, ready, partial)


def _figures(
    month: date,
    counts: dict[str, int | None],
    within: dict[int, int | None],
    decision: dict[int, int],
    ready: dict[int, int],
    partial: bool,
) -> Month:
    approved, rejected = counts["approved"], counts["rejected"]
    decided = _shown_sum([approved, rejected])
    on_time, late = within[1], within[0]
    return Month(
        month=month,
        counts=counts,
        decided=decided,
        approval_rate=_ratio(approved, decided),
        within=_ratio(on_time, _shown_sum([on_time, late])),
        decision_days=percentiles(decision),
        ready_days=percentiles(ready),
        partial=partial,
    )


def _period(months: list[Month], rows: Sequence[Any]) -> Month:
    counts = {measure: _shown_sum(m.counts[measure] for m in months) for measure in COUNTS}
    within: dict[int, int | None] = {0: 0, 1: 0}
    withheld: set[int] = set()
    decision: dict[int, int] = defaultdict(int)
    ready: dict[int, int] = defaultdict(int)
    for _month_day, measure, bucket, count, suppressed in rows:
        if measure == "decision_within":
            if suppressed:
                withheld.add(bucket)
            within[bucket] = (within[bucket] or 0) + count
        elif measure == "decision_days":
            decision[bucket] += count
        elif measure == "ready_days":
            ready[bucket] += count
    for bucket in withheld:
        within[bucket] = None
    return _figures(months[0].month, counts, within, decision, ready, partial=False)


def summary(office_id: int, service_id: int, months: list[date], today: date | None = None) -> Summary:
    """The figures of an office (or ALL) and a service (or ALL) for ``months`` (first days of
    complete months), with the present month so far."""
    day = today or timezone.localdate()
    current = day.replace(day=1)
    key = f"transparency:summary:{office_id}:{service_id}:{months[0]}:{months[-1]}:{day}"
    version, kept = FIGURES.get(key)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    rows = list(
        MonthlyFigure.objects.filter(
            office_id=office_id, service_id=service_id, month__gte=months[0], month__lte=current
        ).values_list("month", "measure", "bucket", "count", "suppressed")
    )
    by_month: dict[date, list[Any]] = defaultdict(list)
    for month, *rest in rows:
        by_month[month].append(rest)
    monthly = [_month(month, by_month.get(month, []), partial=False) for month in months]
    complete = [row for row in rows if row[0] != current]
    standard = None
    if service_id != ALL:
        service = Service.objects.filter(pk=service_id).first()
        terms = terms_in_force(service, day) if service else None
        standard = terms.standard_working_days if terms else None
    found = Summary(
        office_id,
        service_id,
        monthly,
        _period(monthly, complete),
        _month(current, by_month.get(current, []), partial=True),
        standard,
    )
    FIGURES.set(key, version, found, CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class OfficeRow:
    office: Office | None  # None for the national figure
    period: Month


def comparison(service_id: int, months: list[date]) -> list[OfficeRow]:
    """Every office's figures for the period beside the national one (first)."""
    offices = list(Office.objects.filter(is_active=True).order_by("name_id"))
    rows = [OfficeRow(None, summary(ALL, service_id, months).period)]
    rows += [OfficeRow(office, summary(office.pk, service_id, months).period) for office in offices]
    return rows


def figures_changed() -> None:
    """The figures were computed again: every kept answer is stale."""
    FIGURES.changed()


def daily_counts(office_id: int, measure: str, first: date, last: date) -> list[tuple[date, int, int]]:
    """One office's daily figures of a count ``measure`` from ``first`` to ``last``, as (day,
    service id, count), whether or not they are withheld (staff analytics read them: the
    demand forecasts, docs/analytics.md); days without any are left out."""
    return list(
        DailyFigure.objects.filter(office_id=office_id, measure=measure, day__gte=first, day__lte=last)
        .order_by("day", "service_id")
        .values_list("day", "service_id", "count")
    )


def first_counted_day(office_id: int, measure: str) -> date | None:
    """The first day one office has a figure of ``measure`` (where its history begins)."""
    found: date | None = (
        DailyFigure.objects.filter(office_id=office_id, measure=measure)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    return found
