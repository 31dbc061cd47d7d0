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
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from gerbang.catalog.models import Office, Service
from gerbang.catalog.selectors import office_today, terms_in_force
from gerbang.core.cache import Versioned
from gerbang.ikm import selectors as ikm
from gerbang.ikm.periods import Period
from gerbang.transparency.models import ALL, COUNTED, DailyFigure, MonthlyFigure, PeriodFigure

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
    # Visits: calendar days to the first free place as people saw it; minutes waited on site.
    lead_days: Percentiles | None = None
    wait_minutes: Percentiles | None = None
    # Bills paid by their deadline / bills that ended (paid or lapsed), 0..1; hours to pay.
    paid_within: float | None = None
    paid_hours: Percentiles | None = None
    # Complaints received; of those closed, the share handled within their service level.
    complaints: int | None = None
    complaint_within: float | None = None
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
    # The first month counted, when the period began before it (a new installation): the
    # months before it have no figures and are left out of ``months``.
    counted_from: date | None = None

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


# Yes/no measures published as the share of yes (bucket 1), and durations published as
# percentiles (bucket: days, minutes or hours).
SHARES = ("decision_within", "bill_paid_within", "complaint_within")
DURATIONS = ("decision_days", "ready_days", "lead_days", "wait_minutes", "paid_hours")


def _plus(total: int | None, value: int | None) -> int | None:
    return None if total is None or value is None else total + value


def _figures(month: date, rows: Iterable[Sequence[Any]], *, partial: bool) -> Month:
    """The figures of ``rows`` (measure, bucket, count, suppressed) of one month, or of several
    added up (a period): a count withheld in any of them withholds the sum."""
    counts: dict[str, int | None] = dict.fromkeys((*COUNTS, "complaints"), 0)
    shares: dict[str, dict[int, int | None]] = {measure: {0: 0, 1: 0} for measure in SHARES}
    durations: dict[str, dict[int, int]] = {measure: defaultdict(int) for measure in DURATIONS}
    for measure, bucket, count, suppressed in rows:
        value = None if suppressed else count
        if measure in counts:
            counts[measure] = _plus(counts[measure], value)
        elif measure in shares:
            shares[measure][bucket] = _plus(shares[measure][bucket], value)
        elif measure in durations:
            durations[measure][bucket] += count

    def share(measure: str) -> float | None:
        yes, no = shares[measure][1], shares[measure][0]
        return _ratio(yes, _shown_sum([yes, no]))

    complaints = counts.pop("complaints")
    approved, rejected = counts["approved"], counts["rejected"]
    decided = _shown_sum([approved, rejected])
    return Month(
        month=month,
        counts=counts,
        decided=decided,
        approval_rate=_ratio(approved, decided),
        within=share("decision_within"),
        decision_days=percentiles(durations["decision_days"]),
        ready_days=percentiles(durations["ready_days"]),
        lead_days=percentiles(durations["lead_days"]),
        wait_minutes=percentiles(durations["wait_minutes"]),
        paid_within=share("bill_paid_within"),
        paid_hours=percentiles(durations["paid_hours"]),
        complaints=complaints,
        complaint_within=share("complaint_within"),
        partial=partial,
    )


def _period_counts(months: list[date]) -> QuerySet[PeriodFigure]:
    return PeriodFigure.objects.filter(first=months[0], last=months[-1])


def _period_rows(month_rows: list[Any], period_counts: list[Any] | None) -> list[Any]:
    """The rows (measure, bucket, count, withheld) of a period: its counts as the period's own
    table withholds them (``PeriodFigure``), its durations from its months. A period not kept
    (``period_counts`` None) falls back on its months added up, where a count withheld in any
    month withholds the sum."""
    if period_counts is None:
        return month_rows
    return [*(row for row in month_rows if (row[0], row[1]) not in COUNTED), *period_counts]


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
    began = counting_began()
    counted_from = began if began is not None and began > months[0] else None
    monthly = [
        _figures(month, by_month.get(month, []), partial=False)
        for month in months
        if counted_from is None or month >= counted_from
    ]
    period = _period_counts(months)
    counts = (
        list(
            period.filter(office_id=office_id, service_id=service_id).values_list(
                "measure", "bucket", "count", "suppressed"
            )
        )
        if period.exists()
        else None
    )
    complete = _period_rows([row[1:] for row in rows if row[0] != current], counts)
    standard = None
    if service_id != ALL:
        service = Service.objects.filter(pk=service_id).first()
        terms = terms_in_force(service, day) if service else None
        standard = terms.standard_working_days if terms else None
    found = Summary(
        office_id,
        service_id,
        monthly,
        _figures(months[0], complete, partial=False),
        _figures(current, by_month.get(current, []), partial=True),
        standard,
        counted_from,
    )
    FIGURES.set(key, version, found, CACHE_SECONDS)
    return found


def counting_began() -> date | None:
    """The first month with figures anywhere (where this installation's counting began), or
    None before any."""
    version, kept = FIGURES.get("transparency:began")
    if kept is not None:
        return kept or None
    found: date | None = (
        MonthlyFigure.objects.filter(office_id=ALL, service_id=ALL)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    FIGURES.set("transparency:began", version, found or "", CACHE_SECONDS)
    return found


def cells(first: date, last: date) -> dict[tuple[int, int], Month]:
    """Every office's and service's figures, and their totals (``ALL``), for the complete
    months from ``first`` to ``last``, keyed by (office id, service id), from two queries: one
    month as its own table withholds it, several as the period's table does when it is kept."""
    by_cell: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for office_id, service_id, *rest in MonthlyFigure.objects.filter(
        month__gte=first, month__lte=last
    ).values_list("office_id", "service_id", "measure", "bucket", "count", "suppressed"):
        by_cell[(office_id, service_id)].append(rest)
    counts: dict[tuple[int, int], list[Any]] | None = None
    kept = (
        _period_counts([first, last]).values_list(
            "office_id", "service_id", "measure", "bucket", "count", "suppressed"
        )
        if first != last
        else []
    )
    for office_id, service_id, *rest in kept:  # one query; none kept: the months added up
        counts = counts if counts is not None else defaultdict(list)
        counts[(office_id, service_id)].append(rest)
    return {
        cell: _figures(first, _period_rows(rows, None if counts is None else counts[cell]), partial=False)
        for cell, rows in sorted(by_cell.items())
    }


@dataclass(frozen=True)
class OfficeRow:
    office: Office | None  # None for the national figure
    period: Month


def comparison(service_id: int, months: list[date]) -> list[OfficeRow]:
    """Every office's figures for the period beside the national one (first), from one query."""
    key = f"transparency:comparison:{service_id}:{months[0]}:{months[-1]}"
    version, kept = FIGURES.get(key)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    offices = list(Office.objects.public().order_by("name_id"))
    by_office: dict[int, list[Any]] = defaultdict(list)
    for office_id, *rest in MonthlyFigure.objects.filter(
        service_id=service_id, month__gte=months[0], month__lte=months[-1]
    ).values_list("office_id", "measure", "bucket", "count", "suppressed"):
        by_office[office_id].append(rest)
    # The period's counts as its own table withholds them, as each office's summary shows them.
    counts: dict[int, list[Any]] | None = None
    for office_id, *rest in (
        _period_counts(months)
        .filter(service_id=service_id)
        .values_list("office_id", "measure", "bucket", "count", "suppressed")
    ):  # one query; none kept: the months added up
        counts = counts if counts is not None else defaultdict(list)
        counts[office_id].append(rest)

    def figures(office_id: int) -> Month:
        rows = _period_rows(by_office[office_id], None if counts is None else counts[office_id])
        return _figures(months[0], rows, partial=False)

    rows = [OfficeRow(None, figures(ALL)), *(OfficeRow(office, figures(office.pk)) for office in offices)]
    FIGURES.set(key, version, rows, CACHE_SECONDS)
    return rows


@dataclass(frozen=True)
class Satisfaction:
    value: Any  # the index, 25 to 100
    grade: str
    respondents: int
    period: str
    url: str
    so_far: bool  # the quarter has not ended: its answers are still coming in


def satisfaction(office: Office | None) -> Satisfaction | None:
    """The newest quarterly satisfaction index (IKM) of ``office`` (None: the national one), all
    services together, as the IKM pages publish it; None before there is one."""
    if office is not None:
        result = ikm.office_latest(office)
    else:
        period = ikm.latest_period()
        result = ikm.result_of(None, period) if period else None
    if result is None or not result.respondents:
        return None
    url = reverse("ikm:office", args=[office.code]) if office else reverse("ikm:national")
    period = Period(result.period_kind, result.period_start)
    today = office_today(office) if office else timezone.localdate()
    return Satisfaction(
        result.ikm, result.grade, result.respondents, str(period.label), url, so_far=period.end > today
    )


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
