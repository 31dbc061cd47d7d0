"""The arithmetic of suggested daily quotas: the busiest week's upper bound spread over its days
with visiting hours (closures and holidays out), rounded up, capped by the group's capacity."""

from __future__ import annotations

import datetime as dt

import pytest

from gerbang.analytics.forecast import capacity, quotas, selectors
from gerbang.analytics.forecast.quotas import Reason, ServiceDemand, WeekDemand
from gerbang.analytics.models import ForecastMethod, ForecastRun, ForecastSeries, ForecastWeek
from gerbang.analytics.tests.forecast_factories import place
from gerbang.catalog.models import Holiday, OfficeClosure
from gerbang.queueing.models import Counter, Lane, QueuePolicy

MONDAY = dt.date(2026, 12, 7)


def week(n: int, upper: float, days: int = 5) -> WeekDemand:
    return WeekDemand(MONDAY + dt.timedelta(weeks=n), upper * 0.8, upper, days)


def test_the_busiest_week_sets_the_quota_rounded_up() -> None:
    found = quotas.service_quota(ServiceDemand("paspor", 2, (week(0, 10), week(1, 12.4), week(2, 11))))
    assert found.peak == week(1, 12.4)
    assert found.per_day == pytest.approx(12.4 * 2 / 5)
    assert found.from_demand == found.quota == 5  # 4.96 rounded up


def test_fewer_days_with_visiting_hours_raise_the_day_s_share() -> None:
    # A week with two days closed asks more of each day it has, even with fewer applications.
    found = quotas.service_quota(ServiceDemand("paspor", 2, (week(0, 10), week(1, 9, days=3))))
    assert found.peak == week(1, 9, days=3) and found.quota == 6  # 9 x 2 / 3


def test_a_week_without_any_day_open_is_left_out_and_no_day_gives_no_quota() -> None:
    found = quotas.service_quota(ServiceDemand("paspor", 2, (week(0, 50, days=0), week(1, 5))))
    assert found.peak == week(1, 5) and found.quota == 2
    none = quotas.service_quota(ServiceDemand("paspor", 2, (week(0, 5, days=0),)))
    assert none.quota is None and none.reason == Reason.NO_DAYS


def test_services_without_forecast_or_visit_get_none() -> None:
    assert quotas.service_quota(ServiceDemand("a", 2, ())).reason == Reason.NO_FORECAST
    assert quotas.service_quota(ServiceDemand("b", 0, (week(0, 5),))).reason == Reason.NO_VISIT


def test_a_quiet_week_still_keeps_one_booking_a_day() -> None:
    assert quotas.service_quota(ServiceDemand("a", 2, (week(0, 0.1),))).quota == 1


def test_the_group_s_capacity_caps_the_quotas_in_proportion() -> None:
    demands = [ServiceDemand("a", 2, (week(0, 50),)), ServiceDemand("b", 2, (week(0, 25),))]  # 20 and 10
    within = quotas.group_quotas(demands, capacity=40)
    assert [q.quota for q in within.quotas] == [20, 10] and not within.capped
    capped = quotas.group_quotas(demands, capacity=15)
    assert capped.capped and capped.demand == 30 and capped.capacity == 15
    assert [q.quota for q in capped.quotas] == [10, 5]
    assert [q.from_demand for q in capped.quotas] == [20, 10]
    none = quotas.group_quotas(demands, capacity=0)
    assert [q.quota for q in none.quotas] == [None, None]
    assert {q.reason for q in none.quotas} == {Reason.NO_HOURS}


# --- The same arithmetic on an office's own calendar and capacity ---------------------------------


def _run(world, weeks: dict[dt.date, float]) -> ForecastRun:
    run = ForecastRun.objects.create(office=world.office, first_week=min(weeks))
    series = ForecastSeries.objects.create(
        run=run, service=world.passport, method=ForecastMethod.REGRESSION, history_weeks=60
    )
    ForecastWeek.objects.bulk_create(
        ForecastWeek(series=series, week=monday, working_days=5, expected=upper * 0.8, lower=0, upper=upper)
        for monday, upper in weeks.items()
    )
    return run


@pytest.mark.django_db
def test_the_office_s_holidays_and_closures_take_days_out_of_the_week() -> None:
    world = place()
    Holiday.objects.create(date=dt.date(2026, 12, 24), name_id="Cuti bersama Natal")
    Holiday.objects.create(date=dt.date(2026, 12, 25), name_id="Natal")
    OfficeClosure.objects.create(
        office=world.office,
        start_date=dt.date(2026, 12, 21),
        end_date=dt.date(2026, 12, 21),
        reason_id="Pindah",
    )
    run = _run(world, {MONDAY: 20, MONDAY + dt.timedelta(weeks=1): 20, MONDAY + dt.timedelta(weeks=2): 20})
    # Bookable from Tuesday 8 to Monday 21 December (14 days ahead, the default).
    found = selectors.suggestion(world.office, run, today=MONDAY)
    passports = next(group for group in found.groups if group.group == "passport")
    row = next(row for row in passports.rows if row.service == world.passport)
    # The week of 21 December keeps Tuesday and Wednesday only: 20 x 2 / 2 = 20 a day.
    assert row.quota.peak is not None and row.quota.peak.week == dt.date(2026, 12, 21)
    assert row.quota.peak.visiting_days == 2
    assert row.suggested == 16  # capped: the passport hours give 16 places a day (4 slots x 4)
    assert passports.quotas.capped and passports.capacity.per_day == 16
    # The visa service has no forecast in this run: no suggestion, said why.
    visas = next(group for group in found.groups if group.group == "visa")
    assert visas.rows[0].suggested is None and visas.rows[0].quota.reason == Reason.NO_FORECAST


@pytest.mark.django_db
def test_counters_cap_the_day_below_the_places() -> None:
    world = place(capacity=20)  # 4 slots x 20 places = 80 a day
    QueuePolicy.objects.create(office=world.office, default_service_minutes=10)
    passports = Lane.objects.create(office=world.office, letter="A", name_id="Paspor", group="passport")
    everything = Lane.objects.create(office=world.office, letter="B", name_id="Semua")
    one = Counter.objects.create(office=world.office, number=1)
    one.lanes.add(passports)
    two = Counter.objects.create(office=world.office, number=2)
    two.lanes.add(everything)  # serves passports and visas: half its time each
    found = capacity.group_capacity(world.office, "passport", MONDAY)
    monday = found.days[0]
    assert monday.places == 80 and monday.visiting_minutes == 240
    assert monday.counters == pytest.approx(1.5)
    assert monday.counter_visits == 36  # 1.5 x 240 / 10
    assert found.per_day == 36 and not found.service_minutes_measured
    assert capacity.group_capacity(world.office, "stay_permit", MONDAY).per_day == 0
