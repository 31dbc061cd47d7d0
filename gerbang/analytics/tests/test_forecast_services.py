"""Computing an office's forecasts from the statistics' figures, and applying the suggested
quotas through appointments' own service: who may, what is written, what is refused."""

from __future__ import annotations

import pytest

from gerbang.analytics.forecast import selectors, services, synthetic
from gerbang.analytics.models import ForecastMethod, ForecastRun, ForecastSeries, ForecastWeek
from gerbang.analytics.tests.forecast_factories import TESTS, place, weekly_figures
from gerbang.appointments.models import ServiceQuota
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = place()
    weekly_figures(world.office, world.passport, synthetic.series(60, seed=7, per_day=4).counts)
    weekly_figures(world.office, world.visa, [3, 2, 4, 3, 2, 3, 4, 2, 3, 3])
    return world


def test_the_office_s_forecasts_are_computed_from_its_weekly_figures(world) -> None:
    run = services.forecast_compute(office=world.office, actor=TESTS)
    rows = {each.service_id: each for each in ForecastSeries.objects.filter(run=run)}
    assert set(rows) == {None, world.passport.pk, world.visa.pk}
    passport, visa = rows[world.passport.pk], rows[world.visa.pk]
    assert passport.method == ForecastMethod.REGRESSION and passport.history_weeks == 60
    # The visa's history begins with its first application: the weeks before are no demand seen.
    assert visa.method == ForecastMethod.SMOOTHING and visa.history_weeks == 10
    assert (
        passport.model_mae is not None and passport.baseline == "last_week" and passport.backtest_weeks == 12
    )
    assert ForecastWeek.objects.filter(series=passport).count() == 12
    assert len(passport.recent) == services.RECENT_WEEKS
    total = rows[None]
    assert total.recent[-10:] == [a + b for a, b in zip(passport.recent[-10:], visa.recent, strict=True)]
    assert total.recent[:-10] == passport.recent[:-10]
    event = Event.objects.get(code="forecast.computed")
    assert event.office_id == world.office.pk and event.details["run"] == run.pk
    # Computing again replaces the run.
    again = services.forecast_compute(office=world.office, actor=world.admin)
    assert list(ForecastRun.objects.values_list("pk", flat=True)) == [again.pk]


def test_an_office_without_figures_gets_no_forecast_and_says_so() -> None:
    world = place()
    run = services.forecast_compute(office=world.office, actor=TESTS)
    assert run.history_from is None
    assert set(ForecastSeries.objects.filter(run=run).values_list("method", flat=True)) == {
        ForecastMethod.NONE
    }
    assert not ForecastWeek.objects.exists()


def test_only_the_office_s_managers_compute_it(world) -> None:
    for person in (world.supervisor, world.officer, world.other_admin):
        with pytest.raises(PermissionDenied):
            services.forecast_compute(office=world.office, actor=person)
    with pytest.raises(PermissionDenied):
        services.forecast_compute(office=world.office, actor=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        services.forecast_compute(office=world.office, actor=TESTS, horizon=52)


def test_applying_sets_the_quotas_through_appointments_and_records_one_event(world) -> None:
    run = services.forecast_compute(office=world.office, actor=TESTS)
    suggested = {
        row.service.code: row.suggested for row in selectors.suggestion(world.office, run).applicable
    }
    passport = suggested[world.passport.code]
    assert passport is not None
    ServiceQuota.objects.create(office=world.office, service=world.visa, daily_limit=9)
    applied = services.quotas_apply(
        office=world.office,
        run_id=run.pk,
        limits={world.passport.code: passport, world.visa.code: 4},
        actor=world.admin,
    )
    assert applied == {world.passport.code: passport, world.visa.code: 4}
    assert dict(ServiceQuota.objects.values_list("service__code", "daily_limit")) == applied
    event = Event.objects.get(code="forecast.quotas_applied")
    assert event.actor_id == world.admin.pk and event.office_id == world.office.pk
    assert event.details["quotas"][world.visa.code] == {
        "applied": 4,
        "suggested": suggested.get(world.visa.code),
        "before": 9,
    }
    # Each quota is also appointments' own record of it.
    assert Event.objects.filter(code="appointment.quota_set").count() == 2


def test_applying_is_refused_to_others_and_on_bad_input(world) -> None:
    run = services.forecast_compute(office=world.office, actor=TESTS)
    limits = {world.passport.code: 5}
    for person in (world.supervisor, world.officer, world.other_admin):
        with pytest.raises(PermissionDenied):
            services.quotas_apply(office=world.office, run_id=run.pk, limits=limits, actor=person)
    for wrong in ({}, {world.passport.code: 0}, {world.passport.code: 10**6}, {"affidavit": 3}):
        with pytest.raises(ValidationError):
            services.quotas_apply(office=world.office, run_id=run.pk, limits=wrong, actor=world.admin)
    newer = services.forecast_compute(office=world.office, actor=TESTS)
    with pytest.raises(Conflict):
        services.quotas_apply(office=world.office, run_id=run.pk, limits=limits, actor=world.admin)
    assert not ServiceQuota.objects.exists()
    assert not Event.objects.filter(code="forecast.quotas_applied").exists()
    services.quotas_apply(office=world.office, run_id=newer.pk, limits=limits, actor=world.admin)
    assert ServiceQuota.objects.get().daily_limit == 5


def test_the_nightly_task_computes_every_office(world) -> None:
    from gerbang.analytics import tasks

    assert tasks.compute_forecasts.call_local() == 2
    assert ForecastRun.objects.count() == 2
    assert not ServiceQuota.objects.exists()  # never changes a quota by itself
