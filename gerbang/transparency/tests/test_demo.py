"""The demo's past cases leave every figure the statistics publish: visits booked after the
first free day they were shown, tickets with their waits, bills paid or lapsed, complaints
handled in time or late; and the statistics count them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F

from gerbang.applications.demo_history import past_cases
from gerbang.appointments import demo_history as visits
from gerbang.appointments.models import Booking, BookingStatus
from gerbang.feedback import demo_history as complaints
from gerbang.feedback.models import Report
from gerbang.payments import demo_history as bills
from gerbang.payments.models import Bill, BillStatus
from gerbang.queueing import demo_history as tickets
from gerbang.queueing.models import Ticket
from gerbang.transparency import selectors
from gerbang.transparency.models import ALL, MonthlyFigure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_the_past_cases_have_their_bills_visits_and_complaints() -> None:
    history = past_cases()
    assert history
    cases = [case.application for case in history]
    paid = Bill.objects.filter(application__in=cases, status=BillStatus.PAID)
    assert paid.count() == sum("record_payment" in case.steps for case in history)
    assert Bill.objects.filter(application__in=cases, status=BillStatus.EXPIRED).exists()
    booked = Booking.objects.filter(application__in=cases)
    assert booked.exists() and not booked.filter(first_free_day__gt=F("slot__day")).exists()
    assert not booked.filter(first_free_day__isnull=True).exists()
    waited = Ticket.objects.filter(application__in=cases)
    # Every visit has its ticket; the recent weeks' appointments nobody came to
    # (``queueing.demo_visits``, still confirmed: the case waits) have none.
    visited = booked.exclude(status=BookingStatus.CONFIRMED)
    assert booked.filter(status=BookingStatus.CONFIRMED).exists()
    assert waited.count() == visited.count() and not waited.filter(waited_seconds__isnull=True).exists()
    assert Report.objects.filter(application__in=cases, escalated_ever=True).exists()
    assert Report.objects.filter(application__in=cases, escalated_ever=False).exists()
    # Written once: loading again adds nothing.
    assert (visits.load(), tickets.load(), bills.load(), complaints.load()) == (0, 0, 0, 0)


def test_the_statistics_count_them() -> None:
    for measure in ("lead_days", "wait_minutes", "bill_paid_within", "paid_hours", "complaints"):
        assert MonthlyFigure.objects.filter(office_id=ALL, service_id=ALL, measure=measure).exists(), measure
    period = selectors.summary(ALL, ALL, selectors.months_back(2)).period
    assert period.lead_days is not None and period.lead_days.p50 is not None
    assert period.wait_minutes is not None and period.wait_minutes.p50 is not None
    assert period.paid_hours is not None and period.paid_hours.cases > 0


def test_the_demo_has_its_closed_months_released(client: Any) -> None:
    import hashlib

    from gerbang.ikm.periods import PeriodKind
    from gerbang.transparency.models import Release
    from gerbang.transparency.releases import period_of

    released = list(Release.objects.filter(kind=PeriodKind.MONTH))
    assert released and all(release.version == 1 for release in released)
    newest = max(released, key=lambda release: release.first)
    page = client.get("/statistik/rilis/").content.decode()
    address = f"/statistik/rilis/{period_of(newest).slug}/v1.csv"
    assert address in page
    assert hashlib.sha256(client.get(address).content).hexdigest() == newest.digest


@pytest.mark.parametrize("period", selectors.PERIODS)
def test_the_offices_compared_show_what_each_office_shows(period: int) -> None:
    """The same period's counts are withheld alike in the table of offices and on each office's
    own figures (both read the period's own table): a count never shows in one and not the other."""
    months = selectors.months_back(period)
    for row in selectors.comparison(ALL, months):
        own = selectors.summary(row.office.pk if row.office else ALL, ALL, months).period
        assert (row.period.counts, row.period.approval_rate, row.period.complaints) == (
            own.counts,
            own.approval_rate,
            own.complaints,
        ), row.office
