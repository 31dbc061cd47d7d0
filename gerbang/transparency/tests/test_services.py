"""The figures are the cases counted: refreshed when cases move, rebuilt on demand, and always
equal to the raw computation (``applications.selectors.statistics.day_figures``)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from gerbang.applications import services as cases
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.catalog.models import Office
from gerbang.core.actors import SystemActor
from gerbang.core.models import Event
from gerbang.transparency import services
from gerbang.transparency.models import ALL, MonthlyFigure, StaleDay

pytestmark = pytest.mark.django_db
TESTS = SystemActor("tests")


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def decide(application: Application, action: str, officer: Any, **kwargs: str) -> Application:
    current = Application.objects.get(pk=application.pk)
    return cases.application_transition(
        application=current, action=action, actor=officer, expected_version=current.version, **kwargs
    )


def approved(world: f.World, **kwargs: str) -> Application:
    case = f.awaiting_appointment(world, **kwargs)
    case = decide(case, "complete_interview", world.officer)
    return decide(case, "approve", world.officer)


def raw_months(first: date, last: date) -> Counter[tuple[date, int, int, str, int]]:
    """What the monthly figures must hold, counted from every app's own tables day by day."""
    expected: Counter[tuple[date, int, int, str, int]] = Counter()
    for office in Office.objects.all():
        day = first
        while day <= last:
            for figure in (found for source in services.SOURCES for found in source(office, day)):
                month = day.replace(day=1)
                for office_id in (office.pk, ALL):
                    for service_id in {figure.service_id, ALL}:
                        expected[(month, office_id, service_id, figure.measure, figure.bucket)] += (
                            figure.count
                        )
            day += timedelta(days=1)
    return expected


def stored_months() -> Counter[tuple[date, int, int, str, int]]:
    return Counter(
        {
            (row.month, row.office_id, row.service_id, row.measure, row.bucket): row.count
            for row in MonthlyFigure.objects.all()
        }
    )


def test_a_case_that_moves_makes_its_day_stale_and_the_refresh_counts_it(world: f.World) -> None:
    approved(world)
    rejected = f.in_verification(world)
    f.submitted(world)
    decide(rejected, "reject", world.officer, reason_code="data_mismatch", reason="Tanggal lahir beda.")
    assert StaleDay.objects.filter(office_id=world.office.pk).exists()
    assert services.figures_refresh(actor=TESTS) >= 1
    assert not StaleDay.objects.exists()
    month = timezone.localdate().replace(day=1)
    national = {
        row.measure: row.count
        for row in MonthlyFigure.objects.filter(month=month, office_id=ALL, service_id=ALL, bucket=0)
    }
    assert national["submitted"] == 3 and national["approved"] == 1 and national["rejected"] == 1
    # Both decisions were taken the day the fee was paid: 0 working days, within the standard.
    timed = {
        (row.measure, row.bucket): row.count
        for row in MonthlyFigure.objects.filter(month=month, office_id=ALL, service_id=ALL)
    }
    assert timed[("decision_days", 0)] == 2 and timed[("decision_within", 1)] == 2
    today = timezone.localdate()
    assert stored_months() == raw_months(today.replace(day=1), today)
    # Every count here is below 10: all of them are withheld wherever they are published.
    assert not MonthlyFigure.objects.filter(measure="submitted", suppressed=False).exists()


def test_a_reversed_decision_stops_counting_on_its_day(world: f.World) -> None:
    case = f.in_verification(world)
    decide(case, "reject", world.officer, reason_code="data_mismatch", reason="Salah.")
    services.figures_refresh(actor=TESTS)
    decide(case, "reverse_decision", world.supervisor, reason="Keliru.")
    services.figures_refresh(actor=TESTS)
    assert not MonthlyFigure.objects.filter(measure="rejected").exists()


def test_figures_rebuilt_from_random_histories_equal_the_cases_counted(world: f.World) -> None:
    """Cases moved at random days of three months, changed behind the services' back (as a
    restore or a repair would), then rebuilt: the months equal the raw count, office by office,
    service by service, with the national and all-services totals."""
    generator = random.Random(20261206)
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=62)).replace(day=1)
    made = []
    for n in range(12):
        code = generator.choice(["paspor-biasa", "paspor-percepatan"])
        if n % 4 == 0:
            case = f.submitted(world, code=code)
        elif n % 4 == 1:
            case = approved(world, code=code)
        else:
            case = f.in_verification(world, code=code)
            if generator.random() < 0.6:
                case = decide(case, "reject", world.officer, reason_code="data_mismatch", reason="x")
        made.append(case)
    for case in made:
        moment = timezone.now() - timedelta(days=generator.randint(0, 80), hours=generator.randint(0, 23))
        Application.objects.filter(pk=case.pk).update(
            office=world.other_office if case.pk % 3 == 0 else world.office,
            submitted_at=moment,
            decided_at=moment + timedelta(days=generator.randint(1, 20)) if case.decided_at else None,
        )
        Event.objects.filter(subject_id=str(case.pk), code="application.record_payment").update(
            created_at=moment + timedelta(hours=2)
        )
    services.figures_rebuild(actor=TESTS, first=first, last=today)
    assert stored_months() == raw_months(first, today)


def test_bills_visitors_and_complaints_are_counted_with_the_cases(world: f.World, settings: Any) -> None:
    """Every app's figures of a day go into the same months: bills paid by their deadline or
    lapsed, minutes visitors waited, complaints received and closed within their service level.
    A walk-in and a complaint without a case count for all services only."""
    from gerbang.feedback.models import Report, ReportKind, ReportPrivacy, ReportStatus
    from gerbang.payments.models import Bill, BillStatus
    from gerbang.queueing.models import Ticket, TicketSource, TicketStatus
    from gerbang.queueing.tests import factories as queue
    from gerbang.transparency import selectors

    settings.STATISTICS_MIN_CELL = 1
    now = timezone.now()
    today = timezone.localdate()
    paid = [f.paid(world) for _ in range(3)]
    lapsed = f.submitted(world)
    Bill.objects.filter(application=lapsed).update(
        status=BillStatus.EXPIRED, expires_at=now - timedelta(minutes=1)
    )
    floor = queue.floor(world.office)
    for number, (case, waited) in enumerate([(paid[0], 300), (None, 720), (None, 1800), (paid[1], None)]):
        Ticket.objects.create(
            office=world.office,
            lane=floor.passports,
            day=today,
            number=f"A{number:03d}",
            token=f"token-{number}",
            source=TicketSource.WALK_IN,
            application=case,
            order_at=now,
            status=TicketStatus.COMPLETED if waited else TicketStatus.WAITING,
            waited_seconds=waited,
        )
    for number, (closed, escalated) in enumerate([(True, False), (True, True), (False, False)]):
        Report.objects.create(
            reference=f"LAPOR-TEST-{number:04d}",
            kind=ReportKind.COMPLAINT,
            privacy=ReportPrivacy.OPEN,
            office=world.office,
            subject="Antrean lama",
            status=ReportStatus.CLOSED if closed else ReportStatus.ROUTED,
            closed_at=now if closed else None,
            escalated_ever=escalated,
        )
    StaleDay.objects.all().delete()
    services.figures_rebuild(actor=TESTS, first=today, last=today)
    assert stored_months() == raw_months(today.replace(day=1), today)

    months = selectors.months_back(6)
    every = selectors.summary(ALL, ALL, months).current
    assert every.paid_within == pytest.approx(3 / 4)
    assert every.paid_hours is not None and every.paid_hours.cases == 3
    assert every.wait_minutes is not None and every.wait_minutes.cases == 3
    assert (every.wait_minutes.p50, every.wait_minutes.p95) == (12, 30)
    assert every.complaints == 3 and every.complaint_within == pytest.approx(1 / 2)
    # The passport service alone: its bills and its one case's wait; no walk-in, no complaint.
    passport = selectors.summary(ALL, paid[0].service_id, months).current
    assert passport.wait_minutes is not None and passport.wait_minutes.cases == 1
    assert passport.complaints == 0 and passport.complaint_within is None
    assert passport.paid_within == pytest.approx(3 / 4)


def test_a_period_shows_what_its_months_hide_only_as_a_group(settings: Any) -> None:
    """Office 1 had 4 applications in one month (withheld) and 30 in the next; office 2, 6 and 7
    (both withheld). A period's count is shown only where the months it hides are none, or
    several holding at least k people together; the national total is shown."""
    from gerbang.transparency import selectors
    from gerbang.transparency.models import PeriodFigure

    settings.STATISTICS_MIN_CELL = 10
    months = selectors.months_back(2, date(2026, 12, 6))
    rows = {
        months[0]: {(1, 5): 4, (2, 5): 6},
        months[1]: {(1, 5): 30, (2, 5): 7},
    }
    for month, inner in rows.items():
        cells: Counter[tuple[int, int]] = Counter()
        for (office, service), count in inner.items():
            for cell in {(office, service), (office, ALL), (ALL, service), (ALL, ALL)}:
                cells[cell] += count
        MonthlyFigure.objects.bulk_create(
            MonthlyFigure(month=month, office_id=o, service_id=s, measure="submitted", count=c)
            for (o, s), c in cells.items()
        )
        services._national_month_refresh(month)
    withheld_months = set(
        MonthlyFigure.objects.filter(suppressed=True).values_list("month", "office_id", "service_id")
    )
    assert (months[0], 1, 5) in withheld_months and (months[1], 2, 5) in withheld_months
    services.period_refresh(months[0], months[-1])
    period = {
        (row.office_id, row.service_id): (row.count, row.suppressed)
        for row in PeriodFigure.objects.filter(first=months[0], last=months[-1], measure="submitted")
    }
    for cell, (_count, withheld) in period.items():
        hidden = [
            month_row.count
            for month_row in MonthlyFigure.objects.filter(
                office_id=cell[0], service_id=cell[1], suppressed=True
            )
        ]
        if not withheld and hidden:
            assert len(hidden) > 1 and sum(hidden) >= 10, cell
    assert period[(ALL, ALL)] == (47, False)
    # The page's period reads the period's own table, not "withheld in any month, withheld".
    assert selectors.summary(ALL, ALL, months, date(2026, 12, 6)).period.counts["submitted"] == 47
    office_count = selectors.summary(1, ALL, months, date(2026, 12, 6)).period.counts["submitted"]
    assert office_count == (None if period[(1, ALL)][1] else 34)


def test_a_quarter_or_year_still_going_on_is_not_counted_again_each_minute() -> None:
    today = date(2026, 12, 6)
    december, november = date(2026, 12, 1), date(2026, 11, 1)
    assert services.periods_touched([december], today) == set()  # in no complete period yet
    touched = services.periods_touched([november], today)
    assert (date(2026, 10, 1), date(2026, 12, 1)) not in touched  # Q4 is not over
    assert (date(2026, 1, 1), date(2026, 12, 1)) not in touched
    assert (date(2026, 6, 1), date(2026, 11, 1)) in touched  # the last 6 complete months
    after = services.periods_touched([november], date(2027, 1, 4))
    assert {(date(2026, 10, 1), date(2026, 12, 1)), (date(2026, 1, 1), date(2026, 12, 1))} <= after
    assert services.periods_touched([date(2026, 9, 1)], today) >= {(date(2026, 7, 1), date(2026, 9, 1))}
