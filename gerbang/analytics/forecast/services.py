"""Writes of the demand forecasts: computing an office's forecasts again, and applying the
suggested daily quotas (through appointments' own service; never by itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.analytics.forecast import history as past
from gerbang.analytics.forecast import model
from gerbang.analytics.forecast.history import ALL_SERVICES
from gerbang.analytics.models import ForecastRun, ForecastSeries, ForecastWeek
from gerbang.appointments.models import ServiceQuota
from gerbang.appointments.services import quota_set
from gerbang.catalog import seasons
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Holiday, Office, Service
from gerbang.core import events
from gerbang.core.actors import Actor
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.core.permissions import Perm, require_permission, require_permission_unless_system

# Weeks of history kept with each forecast for its chart and table.
RECENT_WEEKS = 26
# The largest daily quota accepted (a typo guard: no office books that many for one service).
MAX_DAILY_QUOTA = 5000


@dataclass(frozen=True)
class _Computed:
    service: Service | None
    forecast: model.Forecast
    backtest: model.Backtest | None
    history_weeks: int
    recent: list[float]


def offered_services(office: Office) -> list[Service]:
    return [
        link.service
        for link in office.office_services.select_related("service").order_by(
            "service__category", "service__order"
        )
        if link.service.is_active
    ]


def _compute(
    office: Office, today: date, horizon: int
) -> tuple[past.History, list[model.Week], list[_Computed]]:
    found = past.weekly_history(office, today)
    first_week = past.monday_of(today)
    weeks_before = found.weeks
    start = found.first if found.first is not None else first_week
    calendar = past.calendar_weeks(office, start, weeks_before + horizon)
    history_calendar, future = calendar[:weeks_before], calendar[weeks_before:]
    computed = []
    for service in [None, *offered_services(office)]:
        begins, counts = found.of(service.pk if service else ALL_SERVICES)
        own_calendar = history_calendar[begins:]
        computed.append(
            _Computed(
                service,
                model.forecast(counts, own_calendar, future),
                model.backtest(counts, own_calendar, horizon=horizon),
                len(counts),
                counts[-RECENT_WEEKS:],
            )
        )
    return found, future, computed


def forecast_compute(
    *, office: Office, actor: Actor, today: date | None = None, horizon: int = model.HORIZON
) -> ForecastRun:
    """Compute the office's forecasts again (every service it offers, and all together) from
    its weekly applications, with their backtest; the earlier run is replaced."""
    require_permission_unless_system(actor, Perm.OFFICE_MANAGE, office_id=office.pk)
    if not 1 <= horizon <= 26:
        raise ValidationError(_("Forecast between 1 and 26 weeks ahead."), field="horizon")
    today = today or catalog.office_today(office)
    # The numbers first, outside the transaction: it then only writes.
    found, future, computed = _compute(office, today, horizon)
    last_day = past.monday_of(today) + timedelta(weeks=horizon) - timedelta(days=1)
    with transaction.atomic():
        run = ForecastRun.objects.create(
            office=office,
            history_from=found.first if found.weeks else None,
            history_until=found.first + timedelta(weeks=found.weeks - 1)
            if found.first and found.weeks
            else None,
            first_week=past.monday_of(today),
            holidays_known_until=Holiday.objects.aggregate(last=Max("date"))["last"],
            seasons_known=seasons.known(last_day),
        )
        for each in computed:
            test = each.backtest
            series = ForecastSeries.objects.create(
                run=run,
                service=each.service,
                method=each.forecast.method.value,
                history_weeks=each.history_weeks,
                recent=each.recent,
                seasons_used=list(each.forecast.seasons_used),
                seasons_unseen=list(each.forecast.seasons_unseen),
                baseline=test.baseline.value if test else "",
                backtest_weeks=test.origins if test else 0,
                backtest_pairs=test.pairs if test else 0,
                model_mae=test.model_mae if test else None,
                baseline_mae=test.baseline_mae if test else None,
                actual_mean=test.actual_mean if test else None,
            )
            ForecastWeek.objects.bulk_create(
                [
                    ForecastWeek(
                        series=series,
                        week=week.start,
                        working_days=week.working_days,
                        expected=prediction.expected,
                        lower=prediction.lower,
                        upper=prediction.upper,
                    )
                    for week, prediction in zip(future, each.forecast.predictions, strict=False)
                ]
            )
        ForecastRun.objects.filter(office=office).exclude(pk=run.pk).delete()
        events.record(
            "forecast.computed",
            actor=actor,
            subject=office,
            office_id=office.pk,
            details={
                "run": run.pk,
                "history_weeks": found.weeks,
                "methods": sorted({each.forecast.method.value for each in computed}),
            },
        )
    return run


def forecasts_compute_all(*, actor: Actor, today: date | None = None) -> int:
    """Every active office's forecasts computed again (the nightly task); returns how many."""
    done = 0
    for office in Office.objects.public().order_by("pk"):
        forecast_compute(office=office, actor=actor, today=today)
        done += 1
    return done


def quotas_apply(*, office: Office, run_id: int, limits: dict[str, int], actor: User) -> dict[str, int]:
    """Set the daily quotas an office administrator reviewed (service code -> bookings a day),
    each through appointments' own service, and record what was suggested beside what was
    applied. Refused when the forecast was computed again since the page showed it."""
    from gerbang.analytics.forecast import selectors

    require_permission(actor, Perm.OFFICE_MANAGE, office_id=office.pk)
    latest = selectors.latest_run(office)
    if latest is None or latest.pk != run_id:
        raise Conflict(
            _(
                "The forecast was computed again since this page was opened: check the new suggestion and apply it again."
            )
        )
    offered = {service.code: service for service in offered_services(office)}
    if not limits:
        raise ValidationError(_("Give at least one daily quota to apply."), field="quotas")
    for code, limit in limits.items():
        if code not in offered:
            raise ValidationError(_("The office does not offer this service."), field=f"quota_{code}")
        if not 1 <= limit <= MAX_DAILY_QUOTA:
            raise ValidationError(
                _("A daily quota is between 1 and %(most)s bookings.") % {"most": MAX_DAILY_QUOTA},
                field=f"quota_{code}",
            )
    suggestion = selectors.suggestion(office, latest)
    suggested = {row.service.code: row.suggested for row in suggestion.rows if row.suggested is not None}
    before = dict(
        ServiceQuota.objects.filter(office=office, service__code__in=limits).values_list(
            "service__code", "daily_limit"
        )
    )
    with transaction.atomic():
        for code, limit in sorted(limits.items()):
            quota_set(office=office, service=offered[code], daily_limit=limit, actor=actor)
        events.record(
            "forecast.quotas_applied",
            actor=actor,
            subject=office,
            office_id=office.pk,
            details={
                "run": latest.pk,
                "quotas": {
                    code: {"applied": limit, "suggested": suggested.get(code), "before": before.get(code)}
                    for code, limit in sorted(limits.items())
                },
            },
        )
    return dict(limits)
