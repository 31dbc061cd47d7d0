"""Quarterly and yearly reports of the public statistics, as a page and as a PDF, made from a
release (``releases``): the figures of the report are those of a frozen, digested file, so the
report of a period reads the same whenever it is opened, and says which version it is of.
Every released quarter and year has one; the releases page lists them (the archive)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from gerbang.catalog.models import Office, Service
from gerbang.core.calendar import months_later
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.transparency import exports, selectors
from gerbang.transparency.models import Release

KINDS = (PeriodKind.QUARTER, PeriodKind.YEAR)


@dataclass(frozen=True)
class Line:
    name: str
    figures: dict[str, Any]  # the release's row, by column


def _release(period: Period, version: int | None = None) -> Release | None:
    found = Release.objects.filter(kind=period.kind, first=period.start)
    if version is not None:
        found = found.filter(version=version)
    return found.order_by("-version").first()


def _rows(release: Release) -> list[dict[str, Any]]:
    return [dict(zip(release.columns, row, strict=True)) for row in release.rows]


def _national(release: Release | None) -> dict[str, Any] | None:
    if release is None:
        return None
    return next((row for row in _rows(release) if not row["office"] and not row["service"]), None)


def previous(period: Period) -> Period:
    """The period of the same length just before."""
    return Period(period.kind, months_later(period.start, -len(period.months())))


def report_context(period: Period, version: int | None = None) -> dict[str, Any] | None:
    """What a quarter's or a year's report shows, or None when the period has no release."""
    if period.kind not in KINDS:
        return None
    release = _release(period, version)
    if release is None:
        return None
    rows = _rows(release)
    offices = {office.code: office.name for office in Office.objects.all()}
    services = {service.code: service.name for service in Service.objects.all()}
    before = previous(period)
    quarters = []
    if period.kind == PeriodKind.YEAR:
        for number in range(4):
            quarter = Period(PeriodKind.QUARTER, months_later(period.start, 3 * number))
            quarters.append(Line(quarter.label, _national(_release(quarter)) or {}))
    first_counted = selectors.counting_began()
    return {
        "period": period,
        "label": period.label,
        # The period began before the first month counted (a new installation's first year).
        "counted_from": first_counted if first_counted and first_counted > period.start else None,
        "first_day": period.start,
        "last_day": period.end - timedelta(days=1),
        "release": release,
        "latest": _release(period),
        "national": _national(release) or {},
        "previous_label": before.label,
        "previous": _national(_release(before)),
        "quarters": quarters,
        "offices": sorted(
            (
                Line(offices.get(row["office"], row["office"]), row)
                for row in rows
                if row["office"] and not row["service"]
            ),
            key=lambda line: line.name,
        ),
        "services": sorted(
            (
                Line(services.get(row["service"], row["service"]), row)
                for row in rows
                if row["service"] and not row["office"]
            ),
            key=lambda line: (-(line.figures["submitted"] or 0), line.name),
        ),
        "min_cell": exports.min_cell(),
    }
