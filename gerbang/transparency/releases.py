"""Versioned releases of the public statistics: each closed month, quarter and year published
once as a frozen file of every office's and service's figures, with the SHA-256 of its CSV.

The live files (``/statistik/data.csv``) always show the figures as they are now; a release
shows them as they were when published, so that a report or a newspaper can cite a figure that
stays put. A month is released ``SETTLE_DAYS`` after it ends (its last cases' events counted by
then). Every night the periods of the last ``REVISED_MONTHS`` are counted again: where a row
changed (a late payment, a decision reversed, a correction of how a figure is counted), a new
version is published and says which rows and columns changed. Older periods are final.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gerbang.catalog.models import Office, Service
from gerbang.catalog.selectors import terms_in_force
from gerbang.core.actors import Actor
from gerbang.core.calendar import months_later
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.transparency import exports, selectors
from gerbang.transparency.models import ALL, Release

log = logging.getLogger(__name__)

SETTLE_DAYS = 3
# When the nightly task publishes (UTC; 03:30 in Jakarta, after the reconciliation).
PUBLISH_HOUR, PUBLISH_MINUTE = 20, 30
REVISED_MONTHS = 13
# A release's columns: the files', the first a period (YYYY-MM, or YYYY-MM/YYYY-MM for several
# months) instead of a month.
COLUMNS = ("period", *exports.COLUMNS[1:])


def iso(period: Period) -> str:
    """ISO 8601: the month, or the interval of the period's months."""
    months = period.months()
    if len(months) == 1:
        return f"{months[0]:%Y-%m}"
    return f"{months[0]:%Y-%m}/{months[-1]:%Y-%m}"


def period_of(release: Release) -> Period:
    return Period(release.kind, release.first)


@dataclass(frozen=True)
class Released:
    period: Period
    versions: list[Release]  # the latest first


def published() -> list[Released]:
    """Every released period, newest first (a year, then its quarter, then its month), each
    with its versions."""
    grouped: dict[tuple[str, date], list[Release]] = {}
    for release in Release.objects.defer("rows").order_by("-last", "kind", "-version"):
        grouped.setdefault((release.kind, release.first), []).append(release)
    order: dict[str, int] = {PeriodKind.YEAR: 0, PeriodKind.QUARTER: 1, PeriodKind.MONTH: 2}
    found = [Released(period_of(versions[0]), versions) for versions in grouped.values()]
    return sorted(found, key=lambda each: (-each.period.end.toordinal(), order[each.period.kind]))


def last_closed_month(today: date) -> date:
    """The latest month over for at least ``SETTLE_DAYS`` days."""
    month = months_later(today.replace(day=1), -1)
    if today < months_later(month, 1) + timedelta(days=SETTLE_DAYS):
        month = months_later(month, -1)
    return month


def periods_due(today: date) -> list[Period]:
    """The closed periods still open to revision: each month of the last ``REVISED_MONTHS``,
    and the quarters and years that end in one of them."""
    newest = last_closed_month(today)
    months = [months_later(newest, -n) for n in range(REVISED_MONTHS)]
    return [
        Period.containing(kind, month)
        for month in months
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
        if Period.containing(kind, month).months()[-1] == month  # the period ends with it
    ]


def period_rows(period: Period) -> list[list[Any]]:
    """Every office's and service's row of the period (national and all services first)."""
    offices = {office.pk: office.code for office in Office.objects.all()}
    services = {service.pk: service for service in Service.objects.all()}
    months = period.months()
    closing = period.end - timedelta(days=1)
    standards: dict[int, int | None] = {}
    found = []
    for (office_id, service_id), figures in selectors.cells(months[0], months[-1]).items():
        if (office_id != ALL and office_id not in offices) or (
            service_id != ALL and service_id not in services
        ):
            continue
        if service_id != ALL and service_id not in standards:
            terms = terms_in_force(services[service_id], closing)
            standards[service_id] = terms.standard_working_days if terms else None
        row = exports.cell_row(
            figures,
            standards.get(service_id),
            offices.get(office_id, ""),
            services[service_id].code if service_id != ALL else "",
        )
        row["period"] = iso(period)
        found.append([row[column] for column in COLUMNS])
    office_at, service_at = COLUMNS.index("office"), COLUMNS.index("service")
    return sorted(found, key=lambda row: (row[office_at], row[service_at]))


def release_csv(columns: list[str], rows: list[list[Any]]) -> str:
    return exports.csv_text([dict(zip(columns, row, strict=True)) for row in rows], columns)


def _digest(columns: list[str], rows: list[list[Any]]) -> str:
    return hashlib.sha256(release_csv(columns, rows).encode("utf-8")).hexdigest()


def _revised(before: Release, columns: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    """The rows of a new version that differ from the version before, by office and service."""

    def keyed(names: list[str], values: list[list[Any]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {
            (row["office"], row["service"]): row for row in (dict(zip(names, v, strict=True)) for v in values)
        }

    old, new = keyed(before.columns, before.rows), keyed(columns, rows)
    changes: list[dict[str, Any]] = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old or key not in new:
            changes.append(
                {"office": key[0], "service": key[1], "change": "added" if key in new else "removed"}
            )
            continue
        differing = [column for column in columns if old[key].get(column) != new[key][column]]
        if differing:
            changes.append({"office": key[0], "service": key[1], "change": "changed", "columns": differing})
    return changes


def _publish(period: Period, columns: list[str], at: datetime) -> bool:
    """A new version of ``period`` published at ``at`` when its rows differ from the latest's
    (the first, when there is none); False when nothing changed or nothing was counted."""
    rows = period_rows(period)
    if not rows:
        return False  # nothing counted in the period (before the service began)
    digest = _digest(columns, rows)
    with transaction.atomic():
        latest = (
            Release.objects.select_for_update()
            .filter(kind=period.kind, first=period.start)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.digest == digest:
            return False
        Release.objects.create(
            kind=period.kind,
            first=period.start,
            last=period.months()[-1],
            version=1 if latest is None else latest.version + 1,
            published_at=at,
            columns=columns,
            rows=rows,
            digest=digest,
            revised=[] if latest is None else _revised(latest, columns, rows),
        )
    return True


def releases_publish(*, actor: Actor, today: date | None = None) -> int:
    """Publish the first version of every closed period not released yet, and a new version of
    any period still open to revision whose figures changed. Returns how many were published."""
    today = today or timezone.localdate()
    columns = list(COLUMNS)
    now = timezone.now()
    published = sum(_publish(period, columns, now) for period in periods_due(today))
    if published:
        log.info("statistics: %d releases published (%s)", published, actor)
    return published


def publication_time(period: Period) -> datetime:
    """When the nightly task first publishes ``period``: ``SETTLE_DAYS`` after it ends, at the
    task's hour (``tasks.publish_releases``, PUBLISH_HOUR:PUBLISH_MINUTE UTC)."""
    day = period.end + timedelta(days=SETTLE_DAYS)
    return datetime(day.year, day.month, day.day, PUBLISH_HOUR, PUBLISH_MINUTE, tzinfo=UTC)


def releases_backfill(*, actor: Actor, today: date | None = None) -> int:
    """The first version of every closed period not released yet, each dated when the nightly
    task would have published it (``publication_time``), oldest first: for figures counted
    before the task ran (the demo's past cases, or a history taken over at installation).
    Returns how many were published."""
    today = today or timezone.localdate()
    columns = list(COLUMNS)
    released = set(Release.objects.values_list("kind", "first"))
    due = [period for period in periods_due(today) if (period.kind, period.start) not in released]
    published = sum(
        _publish(period, columns, min(publication_time(period), timezone.now()))
        for period in sorted(due, key=publication_time)
    )
    if published:
        log.info("statistics: %d past releases published (%s)", published, actor)
    return published
