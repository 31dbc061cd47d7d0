"""The training office stays out of every public number (issue 23's "done means").

The public figures (statistics and their open data, the IKM, the satisfaction ratings, the
forecasts, the public ledger, the public lists of offices) are computed, training activity is
done (a trainee works cases through every step, serves a visitor at a counter, an administrator
resets the office), and they are computed again: nothing changed. The same activity at a real
office does change them, so the comparison can fail.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from gerbang.accounts.models import User
from gerbang.analytics.forecast.services import forecasts_compute_all
from gerbang.analytics.models import ForecastRun
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.catalog.models import Office
from gerbang.core.actors import WORKER
from gerbang.ikm.models import Result, Served
from gerbang.ikm.services import results_compute, served_reconcile
from gerbang.ledger.selectors import log_size, verify_stored_tree
from gerbang.ledger.services import log_integrate
from gerbang.queueing import services as queueing
from gerbang.queueing.models import Counter, Ticket, TicketStatus
from gerbang.satisfaction.models import Invitation
from gerbang.training import selectors, services
from gerbang.transparency.models import DailyFigure, MonthlyFigure, PeriodFigure
from gerbang.transparency.services import figures_reconcile, figures_refresh_all

pytestmark = pytest.mark.django_db

# Public addresses whose every byte must stay the same (open data files, lists, the API).
PUBLIC_URLS = (
    "/statistik/data.csv",
    "/statistik/data.json",
    "/ikm/data.csv",
    "/ikm/data.json",
    "/api/v1/offices",
    "/api/v1/statistics/applications",
    "/api/v1/ikm/results",
    "/ledger/checkpoint",
)
COMPUTED_AT = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")
# Public pages that must never name the training office.
PUBLIC_PAGES = (
    "/offices/",
    "/offices/latihan/",
    "/services/paspor-biasa/",
    "/sitemap.xml",
    "/statistik/",
    "/ikm/",
    "/search/?q=latihan",
    "/api/v1/offices",
)


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def rows(queryset: Any) -> list[str]:
    return sorted(repr(row) for row in queryset)


def public_numbers() -> dict[str, Any]:
    figures_reconcile(actor=WORKER)
    figures_refresh_all(actor=WORKER)
    served_reconcile(actor=WORKER)
    results_compute(actor=WORKER)
    forecasts_compute_all(actor=WORKER)
    log_integrate(actor=WORKER)
    client = Client()
    pages = {}
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        # When each IKM figure was computed is the only thing a recomputation changes.
        pages[url] = COMPUTED_AT.sub(b"<computed>", response.content)
    return {
        "daily": rows(
            DailyFigure.objects.values_list("day", "office_id", "service_id", "measure", "bucket", "count")
        ),
        "monthly": rows(
            MonthlyFigure.objects.values_list(
                "month", "office_id", "service_id", "measure", "bucket", "count"
            )
        ),
        "periods": rows(
            PeriodFigure.objects.values_list(
                "first", "last", "office_id", "service_id", "measure", "bucket", "count"
            )
        ),
        "ikm": rows(
            Result.objects.values_list(
                "office_id", "service_id", "period_kind", "period_start", "respondents"
            )
        ),
        "served": Served.objects.count(),
        "invitations": Invitation.objects.count(),
        "forecast_offices": sorted(set(ForecastRun.objects.values_list("office_id", flat=True)) - {None}),
        "ledger": log_size(),
        "pages": pages,
    }


def _work_every_step(office: Office) -> None:
    """A trainee's day: every case moved on as far as it goes, a visitor served."""
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    supervisor = User.objects.get(email="supervisor.mesuji@gerbang.test")
    steps = {
        State.PAID: ("start_verification", officer),
        State.AWAITING_APPOINTMENT: ("complete_interview", officer),
        State.IN_REVIEW: ("approve", supervisor),
        State.APPROVED: ("mark_ready", officer),
        State.READY_FOR_PICKUP: ("mark_collected", officer),
    }
    for _round in range(3):
        for case in Application.objects.filter(office=office, state__in=steps):
            action, actor = steps[State(case.state)]
            services._act(case, action, actor)
    counter = Counter.objects.filter(office=office).order_by("number").first()
    assert counter is not None
    queueing.counter_open(counter=counter, actor=officer)
    ticket = queueing.call_next(counter=counter, actor=officer)
    assert ticket is not None
    queueing.ticket_complete(ticket=ticket, actor=officer)


def test_training_activity_changes_no_public_number(django_capture_on_commit_callbacks: Any) -> None:
    office = selectors.training_office()
    assert office is not None
    with django_capture_on_commit_callbacks(execute=True):
        before = public_numbers()
        for url in PUBLIC_PAGES:
            assert "Latihan" not in Client().get(url).content.decode(), url
        _work_every_step(office)
    assert Application.objects.filter(office=office, state=State.COLLECTED).count() >= 3
    assert Ticket.objects.filter(office=office, status=TicketStatus.COMPLETED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.training_reset(actor=User.objects.get(email="admin.mesuji@gerbang.test"))
        after = public_numbers()
    for key in before:
        assert after[key] == before[key], key
    for url in PUBLIC_PAGES:
        assert "Latihan" not in Client().get(url).content.decode(), url
    assert verify_stored_tree().sound
    assert office.pk not in after["forecast_offices"]

    # The control: the same work at a real office does change the public numbers.
    mesuji = Office.objects.get(code="mesuji")
    with django_capture_on_commit_callbacks(execute=True):
        case = Application.objects.filter(office=mesuji, state=State.IN_REVIEW).first()
        assert case is not None
        services._act(case, "approve", User.objects.get(email="supervisor.mesuji@gerbang.test"))
    with django_capture_on_commit_callbacks(execute=True):
        real = public_numbers()
    assert real["daily"] != after["daily"]
    assert real["ledger"] > after["ledger"]
