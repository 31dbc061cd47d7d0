"""The supervisors' dashboards: every figure counted right, over each period and in each office's
own days, every number linking to a list that shows the same count; who may see which office; the
national view with its totals; the queries bounded whatever the number of offices."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.analytics.dashboards import figures as dashboard
from gerbang.analytics.dashboards.figures import Figures, Number
from gerbang.analytics.dashboards.periods import Span
from gerbang.analytics.tests import dashboard_world as w
from gerbang.applications.workflow import State
from gerbang.appointments.models import BookingStatus
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import WORKER
from gerbang.feedback.models import ReportStatus
from gerbang.ikm import selectors as ikm_selectors
from gerbang.ikm import services as ikm
from gerbang.ikm.tests.conftest import answers, invite
from gerbang.queueing.models import TicketSource, TicketStatus

pytestmark = pytest.mark.django_db

OFFICE = reverse("backoffice:dashboard_office")
NATIONAL = reverse("backoffice:dashboard_national")


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(w.NOW, tick=False):
        yield


@pytest.fixture
def world(clock: None) -> w.World:
    world = w.make_world()
    populate(world)
    return world


def populate(world: w.World) -> None:
    """The rows whose figures the tests check (see each figure's test for the sums)."""
    d = dt.date
    # Open cases at Mesuji: 10, of which 2 overdue (the office owes a decision after its due date).
    world.case("verifying_overdue", State.IN_VERIFICATION, due=d(2026, 12, 8))
    world.case("verifying", State.IN_VERIFICATION, due=d(2026, 12, 10))
    world.case("review_overdue", State.IN_REVIEW, due=d(2026, 12, 1))
    world.case("unpaid", State.AWAITING_PAYMENT)
    world.case("correcting", State.CORRECTION_REQUESTED, due=d(2026, 12, 1))  # the applicant's turn
    world.case("paid_today", State.PAID, due=w.TODAY)  # due today: not yet late
    world.case("interview", State.AWAITING_APPOINTMENT, due=d(2026, 12, 15))
    world.case("interview_2", State.AWAITING_APPOINTMENT, due=d(2026, 12, 15))
    reversed_case = world.case("reversed", State.IN_REVIEW, due=d(2026, 12, 11))
    world.decide(reversed_case, world.second_officer, w.at(5, 10))  # then reversed: no standing decision

    # Decisions at Mesuji: in the last 7 days (3 to 9 December) three, one of them late.
    on_time = world.case("approved_on_time", State.APPROVED, due=d(2026, 12, 10), decided_at=w.at(8, 11))
    world.decide(on_time, world.officer, w.at(8, 11))
    late = world.case("rejected_late", State.REJECTED, due=d(2026, 12, 4), decided_at=w.at(9, 9))
    world.decide(late, world.second_officer, w.at(9, 9), action="reject")
    edge = world.case("edge_start", State.COLLECTED, due=d(2026, 12, 3), decided_at=w.at(3, 0, 30))
    world.decide(edge, world.officer, w.at(3, 0, 30))
    # Before the 7 days (2 December, 23:30 WIB), within the 30: late.
    before = world.case("before_period", State.COLLECTED, due=d(2026, 12, 1), decided_at=w.at(2, 23, 30))
    world.decide(before, world.officer, w.at(2, 23, 30))
    old = world.case(
        "old", State.COLLECTED, due=d(2026, 10, 30), decided_at=w.at(1, 9) - dt.timedelta(days=40)
    )
    world.decide(old, world.officer, w.at(1, 9) - dt.timedelta(days=40))

    # Makassar (WITA): 2 December 23:30 WIB is 3 December 00:30 there: inside its 7 days.
    world.case("mks_open", State.IN_VERIFICATION, office=world.makassar, due=d(2026, 12, 8))
    mks = world.case(
        "mks_edge", State.APPROVED, office=world.makassar, due=d(2026, 12, 2), decided_at=w.at(2, 23, 30)
    )
    world.decide(mks, world.makassar_officer, w.at(2, 23, 30))

    # Tickets: waits of 1, 2, 5 (8 December) and 10, 2 minutes (9 December), rounded up.
    for seconds in (60, 120, 300):
        w.ticket(world.mesuji, d(2026, 12, 8), waited=seconds)
    for seconds in (600, 61):
        w.ticket(world.mesuji, w.TODAY, waited=seconds)
    w.ticket(
        world.mesuji, w.TODAY, waited=5000, source=TicketSource.TRANSFER
    )  # its visitor's wait counted once
    w.ticket(world.mesuji, w.TODAY, waited=None, status=TicketStatus.WAITING)
    w.ticket(world.mesuji, d(2026, 12, 1), waited=9999)
    w.ticket(world.makassar, w.TODAY, waited=30)

    # Appointments: missed on 8 December and this morning; served, checked in, still to come,
    # cancelled; and one missed on 1 December.
    c = world.cases
    w.booking(c["interview"], w.at(8, 9))
    w.booking(c["interview_2"], w.at(9, 8))
    w.booking(c["approved_on_time"], w.at(8, 10), BookingStatus.DONE)
    w.booking(c["paid_today"], w.at(9, 9), BookingStatus.CHECKED_IN)
    w.booking(c["verifying"], w.at(9, 11))
    w.booking(c["verifying_overdue"], w.at(8, 9), BookingStatus.CANCELLED)
    w.booking(c["review_overdue"], w.at(1, 9))

    # Complaints: Mesuji owes two (one overdue); one about staff (the national unit's only).
    w.report(world.mesuji, status=ReportStatus.ROUTED, due=d(2026, 12, 8))
    w.report(world.mesuji, status=ReportStatus.SUBMITTED, due=d(2026, 12, 12))
    w.report(world.mesuji, status=ReportStatus.ANSWERED, due=None)
    w.report(world.mesuji, status=ReportStatus.ROUTED, due=d(2026, 12, 1), kind="aspiration")
    w.report(world.mesuji, status=ReportStatus.ROUTED, due=d(2026, 12, 1), about_staff=True)
    w.report(None, status=ReportStatus.ROUTED, due=d(2026, 12, 8))
    w.report(world.makassar, status=ReportStatus.FOLLOWED_UP, due=w.TODAY)

    # Satisfaction: two answers at Mesuji this quarter.
    for scores in ((4, 4, 3, 4, 4, 4, 4, 4, 4), (3, 3, 2, 3, 3, 3, 3, 3, 3)):
        ikm.response_submit(invitation=invite(office=world.mesuji), answers=answers(*scores), actor=WORKER)
    ikm.results_compute(actor=WORKER)


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    sign_in_with_2fa(client, user)
    return client


def office_figures(client: Client, **params: str) -> Figures:
    response = client.get(OFFICE, params)
    assert response.status_code == 200
    return response.context["figures"]


COUNTS = {
    "case_queue": r'id="case-count"[^>]*>(\d+) application',
    "reports": r'id="report-count"[^>]*>(\d+) report',
    "missed_appointments": r'id="missed-count"[^>]*>(\d+) appointment',
}


def listed(client: Client, number: Number) -> int:
    """The count the list behind ``number`` shows."""
    assert number.url, "a number without its list"
    response = client.get(number.url)
    assert response.status_code == 200, number.url
    page = response.content.decode()
    name = str(response.resolver_match.url_name)
    found = re.search(COUNTS[name], page)
    assert found, f"no count on {number.url}"
    return int(found.group(1))


def assert_lists_agree(client: Client, numbers: list[Number]) -> None:
    for number in numbers:
        assert listed(client, number) == number.value, number.url


def test_the_office_figures_of_the_last_seven_days(world: w.World) -> None:
    client = signed_in(world.supervisor)
    shown = office_figures(client)
    assert shown.office == world.mesuji
    assert (shown.span.first, shown.span.last) == (dt.date(2026, 12, 3), w.TODAY)
    stages = {stage.state: stage.number.value for stage in shown.backlog}
    assert stages == {
        "submitted": 0,
        "awaiting_payment": 1,
        "paid": 1,
        "awaiting_external_check": 0,
        "in_verification": 2,
        "correction_requested": 1,
        "awaiting_appointment": 2,
        "in_review": 2,
        "approved": 1,
        "ready_for_pickup": 0,
    }
    assert shown.open.value == 10
    assert shown.overdue.value == 2
    assert (shown.decided.value, shown.late.value) == (3, 1)
    assert shown.within_standard == pytest.approx(2 / 3)
    assert [(officer.name, officer.number.value) for officer in shown.officers] == [
        ("Andi Pratama", 2),
        ("Bayu Saputra", 2),  # the reversed decision counts for whoever took it
    ]
    assert (shown.waits.called, shown.waits.median, shown.waits.p80) == (5, 2, 5)
    assert (shown.visits_due, shown.missed.value) == (4, 2)
    assert (shown.complaints_open.value, shown.complaints_overdue.value) == (2, 1)
    latest = ikm_selectors.office_latest(world.mesuji)
    assert latest is not None and shown.ikm == latest and shown.ikm.respondents == 2
    # Two answers are fewer than the sample the office's visitors need: the card says so.
    assert latest.below_sample
    page = client.get(OFFICE).content.decode()
    assert f"Fewer than the minimum sample of {latest.minimum_sample}: read it with care." in page


def test_every_number_opens_a_list_with_the_same_count(world: w.World) -> None:
    client = signed_in(world.supervisor)
    shown = office_figures(client)
    numbers = [
        *(stage.number for stage in shown.backlog),
        shown.open,
        shown.overdue,
        shown.decided,
        shown.late,
        *(officer.number for officer in shown.officers),
        shown.missed,
        shown.complaints_open,
        shown.complaints_overdue,
    ]
    assert_lists_agree(client, numbers)
    page = client.get(OFFICE).content.decode()
    for number in numbers:
        assert f'href="{number.url.replace("&", "&amp;")}"' in page
    # The waits open the queue's figures of the same days, which say the same.
    report = unescape(client.get(shown.waits_url).content.decode())
    assert "5 visitors were called: half waited at most 2 min, 80% at most 5 min." in report
    # The index opens the office's IKM figures.
    ikm_page = client.get(shown.ikm_url.split("#")[0]).content.decode()
    assert shown.ikm_url.endswith("#office-mesuji") and 'id="office-mesuji"' in ikm_page
    assert shown.ikm is not None and f"{shown.ikm.ikm} {shown.ikm.grade}" in ikm_page


@pytest.mark.parametrize(
    ("period", "first", "decided", "late", "officers", "waits", "missed"),
    [
        ("today", 9, (1,), (1,), [("Bayu Saputra", 1)], (2, 2, 10), (2, 1)),
        ("30d", 10, (4,), (2,), [("Andi Pratama", 3), ("Bayu Saputra", 2)], (6, 2, 10), (5, 3)),
    ],
)
def test_the_other_periods(
    world: w.World,
    period: str,
    first: int,
    decided: tuple[int],
    late: tuple[int],
    officers: list[tuple[str, int]],
    waits: tuple[int, int, int],
    missed: tuple[int, int],
) -> None:
    client = signed_in(world.supervisor)
    shown = office_figures(client, period=period)
    expected_first = dt.date(2026, 12, first) if period == "today" else dt.date(2026, 11, first)
    assert shown.span.first == expected_first and shown.span.last == w.TODAY
    assert (shown.decided.value, shown.late.value) == (decided[0], late[0])
    assert [(officer.name, officer.number.value) for officer in shown.officers] == officers
    assert (shown.waits.called, shown.waits.median, shown.waits.p80) == waits
    assert (shown.visits_due, shown.missed.value) == missed
    assert_lists_agree(
        client, [shown.decided, shown.late, shown.missed, *(officer.number for officer in shown.officers)]
    )


def test_each_office_counts_its_own_days(world: w.World) -> None:
    """2 December 23:30 WIB is 3 December in Makassar: inside its last 7 days, not Mesuji's."""
    client = signed_in(world.makassar_supervisor)
    shown = office_figures(client)
    assert shown.office == world.makassar
    assert (shown.open.value, shown.overdue.value) == (2, 1)
    assert (shown.decided.value, shown.late.value) == (1, 1)
    assert [(officer.name, officer.number.value) for officer in shown.officers] == [("Citra Dewi", 1)]
    assert (shown.complaints_open.value, shown.complaints_overdue.value) == (1, 0)
    assert_lists_agree(
        client, [shown.open, shown.overdue, shown.decided, shown.late, shown.officers[0].number]
    )


def test_who_sees_which_office(world: w.World) -> None:
    assert signed_in(world.officer).get(OFFICE).status_code == 403
    other = signed_in(world.makassar_supervisor)
    assert other.get(OFFICE, {"office": "mesuji"}).status_code == 404
    assert other.get(OFFICE, {"office": "no-such-office"}).status_code == 404
    assert other.get(OFFICE, {"office": str(2**63)}).status_code == 404
    assert other.get(NATIONAL).status_code == 403
    national = signed_in(world.national)
    assert office_figures(national, office="mesuji").office == world.mesuji
    # Nobody signed in is sent to sign in.
    assert Client().get(OFFICE).status_code == 302


def test_an_unknown_period_is_said_and_the_default_shown(world: w.World) -> None:
    client = signed_in(world.supervisor)
    response = client.get(OFFICE, {"period": "year"})
    assert response.status_code == 400
    assert "Choose one of the periods in the list." in response.content.decode()
    assert response.context["span"].days == 7


def test_the_national_view_adds_the_offices_up(world: w.World) -> None:
    client = signed_in(world.national)
    response = client.get(NATIONAL)
    assert response.status_code == 200
    national = response.context["national"]
    rows = {row.office.code: row for row in national.offices}
    assert set(rows) == {"mesuji", "makassar"}
    mesuji, makassar, total = rows["mesuji"], rows["makassar"], national.total
    assert (mesuji.decided.value, makassar.decided.value, total.decided.value) == (3, 1, 4)
    assert (total.late.value, total.open.value, total.overdue.value) == (2, 12, 3)
    # The national unit sees the complaint about staff too; its own complaints join the total.
    assert (mesuji.complaints_open.value, mesuji.complaints_overdue.value) == (3, 2)
    assert (national.unit_open.value, national.unit_overdue.value) == (1, 1)
    assert (total.complaints_open.value, total.complaints_overdue.value) == (5, 3)
    # Every visitor's wait: 1, 1, 2, 2, 5 and 10 minutes.
    assert (total.waits.called, total.waits.median, total.waits.p80) == (6, 2, 5)
    assert total.missed.value == 2
    assert total.ikm is not None and total.ikm.office_id is None
    assert [stage.number.value for stage in total.backlog] == [
        sum(row.backlog[index].number.value for row in national.offices)
        for index in range(len(total.backlog))
    ]
    assert_lists_agree(
        client,
        [
            total.open,
            total.overdue,
            total.decided,
            total.late,
            total.missed,
            total.complaints_open,
            total.complaints_overdue,
            national.unit_open,
            national.unit_overdue,
            *(stage.number for stage in total.backlog),
            *(number for row in national.offices for number in (row.open, row.decided, row.complaints_open)),
        ],
    )


def test_the_queries_do_not_grow_with_the_offices(world: w.World) -> None:
    client = signed_in(world.national)
    client.get(NATIONAL)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as two_offices:
        client.get(NATIONAL)
    for n in range(4):
        office = OfficeFactory.create(code=f"extra-{n}", time_zone=("Asia/Jakarta", "Asia/Jayapura")[n % 2])
        world.case(f"extra-{n}", State.IN_REVIEW, office=office, due=dt.date(2026, 12, 1))
        w.ticket(office, w.TODAY, waited=100)
    with CaptureQueriesContext(connection) as six_offices:
        response = client.get(NATIONAL)
    assert len(response.context["national"].offices) == 6
    assert len(six_offices) == len(two_offices) <= 25


def test_the_office_page_takes_a_bounded_number_of_queries(
    world: w.World, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world.supervisor)
    client.get(OFFICE)
    with django_assert_max_num_queries(22):
        client.get(OFFICE)


def test_the_menu_offers_the_dashboards_to_whoever_may_see_them(world: w.World) -> None:
    def menu(user: Any) -> str:
        body = signed_in(user).get("/backoffice/").content.decode()
        return body[
            body.index('<nav class="subnav"') : body.index("</nav>", body.index('<nav class="subnav"'))
        ]

    assert OFFICE in menu(world.supervisor) and NATIONAL not in menu(world.supervisor)
    assert OFFICE in menu(world.national) and NATIONAL in menu(world.national)
    assert OFFICE not in menu(world.officer)


def test_the_pages_speak_indonesian_by_default(world: w.World) -> None:
    for user, address in ((world.supervisor, OFFICE), (world.national, NATIONAL)):
        user.language = "id"
        user.save(update_fields=["language"])
        page = signed_in(user, language="id").get(address).content.decode()
        assert '<html lang="id"' in page
        assert "Permohonan terbuka" in page and "Keputusan" in page
        assert "Open applications" not in page


def test_a_number_the_viewer_cannot_open_has_no_link(world: w.World) -> None:
    """A viewer holds the dashboard but not the queue's figures: the waits show, unlinked."""
    from gerbang.accounts import permissions
    from gerbang.accounts.models import Role
    from gerbang.core.permissions import Perm

    rules = {**permissions.RULES, Perm.QUEUE_REPORT: frozenset({Role.NATIONAL_ADMIN})}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(permissions, "RULES", rules)
        shown = office_figures(signed_in(world.supervisor))
    assert shown.waits.called == 5 and shown.waits_url == ""
    assert shown.open.url


def test_figures_of_no_office_are_empty(clock: None) -> None:
    world = w.make_world()
    shown = dashboard.for_offices(world.supervisor, [world.mesuji], Span.ending(w.TODAY))[0]
    assert (shown.open.value, shown.decided.value, shown.missed.value, shown.waits.median) == (0, 0, 0, None)
    assert shown.ikm is None and shown.within_standard is None
