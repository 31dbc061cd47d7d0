"""Reads of the demand forecasts: the latest run of an office, one series with its weeks, and
the daily quotas they suggest with today's capacity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet

from gerbang.analytics.forecast import quotas
from gerbang.analytics.forecast.capacity import GroupCapacity, group_capacity
from gerbang.analytics.forecast.history import monday_of
from gerbang.analytics.forecast.services import offered_services
from gerbang.analytics.models import ForecastRun, ForecastSeries
from gerbang.appointments.models import ServiceQuota
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office, Service, ServiceCategory
from gerbang.core.permissions import Perm, has_permission
from gerbang.core.scoping import scope_to_offices


def offices_for(user: object) -> list[Office]:
    """The offices whose forecasts ``user`` may read."""
    if not has_permission(user, Perm.FORECAST_VIEW):
        return []
    return list(
        scope_to_offices(Office.objects.filter(is_active=True).order_by("name_id"), user, office_field="pk")
    )


def latest_run(office: Office) -> ForecastRun | None:
    return ForecastRun.objects.filter(office=office).order_by("-computed_at", "-pk").first()


def series_of(run: ForecastRun, service: Service | None) -> ForecastSeries | None:
    found: QuerySet[ForecastSeries] = ForecastSeries.objects.filter(run=run).prefetch_related("weeks")
    found = found.filter(service__isnull=True) if service is None else found.filter(service=service)
    return found.first()


def visits_per_application(service: Service) -> int:
    return quotas.VISITS_PER_APPLICATION if service.office_visit_required and not service.online_only else 0


@dataclass
class Row:
    service: Service
    quota: quotas.Quota
    current: int | None  # the daily quota set now

    @property
    def suggested(self) -> int | None:
        return self.quota.quota


@dataclass
class Group:
    group: str
    label: str
    capacity: GroupCapacity
    window: tuple[date, date]  # the days bookable now
    quotas: quotas.GroupQuotas
    rows: list[Row] = field(default_factory=list)


@dataclass
class Suggestion:
    run: ForecastRun
    groups: list[Group]

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def applicable(self) -> list[Row]:
        return [row for row in self.rows if row.suggested is not None]


def _visiting_days(office: Office, capacity: GroupCapacity, week: date) -> int:
    calendar = catalog.working_calendar(office, week, horizon_days=7)
    return sum(
        1
        for n in range(7)
        if (week + timedelta(days=n)).weekday() in capacity.days
        and calendar.is_working_day(week + timedelta(days=n))
    )


def suggestion(office: Office, run: ForecastRun, today: date | None = None) -> Suggestion:
    """The daily quota each service's forecast suggests over the days bookable now, capped by
    its group's capacity (``quotas``); nothing is changed here."""
    today = today or catalog.office_today(office)
    series = {
        each.service_id: each
        for each in ForecastSeries.objects.filter(run=run, service__isnull=False).prefetch_related("weeks")
    }
    current = dict(ServiceQuota.objects.filter(office=office).values_list("service_id", "daily_limit"))
    by_group: dict[str, list[Service]] = {}
    for service in offered_services(office):
        by_group.setdefault(service.category, []).append(service)
    groups = []
    for group, members in by_group.items():
        capacity = group_capacity(office, group, today)
        window = (today + timedelta(days=1), today + timedelta(days=capacity.release_days_ahead))
        first_week, last_week = monday_of(window[0]), monday_of(window[1])
        demands = []
        for service in members:
            found = series.get(service.pk)
            weeks = tuple(
                quotas.WeekDemand(
                    week.week, week.expected, week.upper, _visiting_days(office, capacity, week.week)
                )
                for week in (found.weeks.all() if found else [])
                if first_week <= week.week <= last_week
            )
            demands.append(quotas.ServiceDemand(service.code, visits_per_application(service), weeks))
        computed = quotas.group_quotas(demands, capacity.per_day)
        made = Group(group, str(ServiceCategory(group).label), capacity, window, computed)
        for service, quota in zip(members, computed.quotas, strict=True):
            made.rows.append(Row(service, quota, current.get(service.pk)))
        groups.append(made)
    return Suggestion(run, groups)
