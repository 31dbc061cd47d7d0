"""The kiosk, the ticket pages, the board, the counter page, the office's queue pages and the
queue's API, through the real services."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications.tests import factories as f
from gerbang.appointments.models import BookingStatus
from gerbang.core.actors import SystemActor
from gerbang.core.models import Event
from gerbang.queueing import services
from gerbang.queueing.models import Counter, KioskDevice, Lane, QueuePolicy, Ticket, TicketStatus
from gerbang.queueing.tests.factories import Floor, booked, opened, visitors

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world: f.World) -> Any:
    return staff(Role.OFFICE_ADMIN, [world.office])


@pytest.fixture
def kiosk_browser(world: f.World, office_floor: Floor, admin: Any, staff_client: Any) -> Client:
    """A browser registered as the office's kiosk by its administrator, then signed out."""
    browser = staff_client(admin)
    response = browser.post(
        f"/backoffice/offices/{world.office.code}/queue/settings/",
        {"action": "kiosk", "kiosk-name": "Entrance hall"},
    )
    assert response.status_code == 302 and response["Location"] == f"/offices/{world.office.code}/kiosk/"
    browser.post("/account/logout/")
    browser.cookies["django_language"] = "en"
    return browser


class TestKiosk:
    def test_only_registered_kiosks_and_serving_staff(
        self, world: f.World, office_floor: Floor, client: Client
    ) -> None:
        response = client.get(f"/offices/{world.office.code}/kiosk/")
        assert response.status_code == 403
        assert "registered kiosks" in response.content.decode()

    def test_check_in_with_the_code_gives_a_printable_ticket(
        self, world: f.World, office_floor: Floor, kiosk_browser: Client
    ) -> None:
        visit = visitors(world, 1)[0]
        page = kiosk_browser.get(f"/offices/{world.office.code}/kiosk/")
        assert page.status_code == 200 and "Check in and get my ticket" in page.content.decode()
        response = kiosk_browser.post(f"/offices/{world.office.code}/kiosk/", {"code": visit.code})
        assert response.status_code == 302
        ticket = Ticket.objects.get()
        assert response["Location"] == f"/queue/{ticket.token}/print/?kiosk={world.office.code}"
        printed = kiosk_browser.get(response["Location"]).content.decode()
        assert "A-001" in printed and "<svg" in printed
        assert f"/queue/{ticket.token}/" in printed  # the phone address under the QR code
        assert f"url=/offices/{world.office.code}/kiosk/" in printed  # back to the kiosk by itself
        assert KioskDevice.objects.get().last_seen_at is not None

    def test_a_mistyped_code_is_explained_and_kept(
        self, world: f.World, office_floor: Floor, kiosk_browser: Client
    ) -> None:
        response = kiosk_browser.post(f"/offices/{world.office.code}/kiosk/", {"code": "7K3Q-H9TX-Q"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "not a booking code" in body
        assert 'value="7K3Q-H9TX-Q"' in body

    def test_too_early_is_said_with_the_time(
        self, world: f.World, office_floor: Floor, kiosk_browser: Client
    ) -> None:
        visit = visitors(world, 1, hour=11)[0]
        body = kiosk_browser.post(
            f"/offices/{world.office.code}/kiosk/", {"code": visit.code}
        ).content.decode()
        assert "opens at 10:00" in body

    def test_revoked_kiosk_is_refused(
        self, world: f.World, office_floor: Floor, kiosk_browser: Client, admin: Any
    ) -> None:
        services.kiosk_revoke(kiosk=KioskDevice.objects.get(), actor=admin)
        assert kiosk_browser.get(f"/offices/{world.office.code}/kiosk/").status_code == 403

    def test_serving_staff_may_use_it(self, world: f.World, office_floor: Floor, staff_client: Any) -> None:
        visit = visitors(world, 1)[0]
        officer = staff_client(world.officer)
        response = officer.post(f"/offices/{world.office.code}/kiosk/", {"code": visit.code})
        assert response.status_code == 302
        assert Event.objects.get(code="queue.checked_in").actor == world.officer


class TestTicketPage:
    def test_waiting_ticket_shows_place_and_wait_and_refreshes_without_js(
        self, world: f.World, office_floor: Floor, client: Client
    ) -> None:
        _first, second = (
            services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
            for _ in range(2)
        )
        body = client.get(f"/queue/{second.token}/").content.decode()
        assert "A-002" in body
        assert re.search(r"data-ahead>\s*1\s*<", body)
        assert "about 8 min" in body
        assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in body
        assert f'data-stream="/live/offices/{world.office.code}/queue"' in body

    def test_called_ticket_names_the_counter(
        self, world: f.World, office_floor: Floor, client: Client
    ) -> None:
        ticket = services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        counter = opened(office_floor.counters[1], world.officer)
        services.call_next(counter=counter, actor=world.officer)
        body = client.get(f"/queue/{ticket.token}/").content.decode()
        assert "It is your turn. Please go to <strong>counter 2</strong> now." in body

    def test_finished_ticket_no_longer_listens(
        self, world: f.World, office_floor: Floor, client: Client
    ) -> None:
        ticket = services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        counter = opened(office_floor.counters[0], world.officer)
        called = services.call_next(counter=counter, actor=world.officer)
        assert called is not None
        services.ticket_complete(ticket=called, actor=world.officer)
        body = client.get(f"/queue/{ticket.token}/").content.decode()
        assert "You have been served" in body
        assert "data-live-ticket" not in body and "http-equiv" not in body

    def test_transferred_ticket_redirects_to_its_successor(
        self, world: f.World, office_floor: Floor, client: Client
    ) -> None:
        ticket = services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        counter = opened(office_floor.counters[0], world.officer)
        called = services.call_next(counter=counter, actor=world.officer)
        assert called is not None
        successor = services.ticket_transfer(ticket=called, lane=office_floor.visas, actor=world.officer)
        response = client.get(f"/queue/{ticket.token}/")
        assert response.status_code == 302 and response["Location"] == f"/queue/{successor.token}/"

    def test_unknown_token(self, client: Client, db: None) -> None:
        assert client.get("/queue/no-such-ticket/").status_code == 404


class TestBoard:
    def test_board_renders_the_state(self, world: f.World, office_floor: Floor, client: Client) -> None:
        services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        services.call_next(counter=opened(office_floor.counters[0], world.officer), actor=world.officer)
        body = client.get(f"/offices/{world.office.code}/board/").content.decode()
        assert "Now serving" in body
        assert re.search(r"Counter 1</span> <span class=\"board-ticket\">A-001", body)
        assert 'data-counter-label="Counter {n}"' in body
        assert 'Passports: <span class="board-count">1</span>' in body

    def test_an_empty_board_says_what_is_empty(
        self, world: f.World, office_floor: Floor, client: Client
    ) -> None:
        """Before the day starts: no counter open, no call, and the lanes' counts at nought."""
        body = client.get(f"/offices/{world.office.code}/board/").content.decode()
        assert '<li class="board-empty">No counter is open yet.</li>' in body
        assert '<li class="board-empty">No one has been called yet today.</li>' in body
        # The live board keeps the same words for when a list empties again.
        assert 'data-empty="No one has been called yet today."' in body
        assert 'Passports: <span class="board-count">0</span>' in body

    def test_api_board_and_ticket(self, world: f.World, office_floor: Floor, client: Client) -> None:
        ticket = services.walk_in_issue(
            office=world.office, lane=office_floor.passports, actor=world.officer, priority_reason="elderly"
        )
        board = client.get(f"/api/v1/offices/{world.office.code}/queue").json()
        assert board["lanes"][0]["letter"] == "A" and board["lanes"][0]["waiting"] == [["A-001", 0]]
        status = client.get(f"/api/v1/queue/tickets/{ticket.token}").json()
        assert status["number"] == "A-001" and status["status"] == "waiting" and status["ahead"] == 0
        assert status["priority"] is True
        for unknown in ("nope", "x" * 300, "%C3%B1", "%1Fprepared-0%1F"):
            assert client.get(f"/api/v1/queue/tickets/{unknown}").status_code == 404
        assert client.get("/api/v1/offices/nope/queue").status_code == 404
        assert cache.get("queue-board:nope:version") is None  # an unknown office leaves nothing behind

    def test_board_is_kept_until_the_queue_changes(self, world: f.World, office_floor: Floor) -> None:
        """Phones poll the board: it is read once per change, and a change shows at once."""
        first = services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        board_url = f"/api/v1/offices/{world.office.code}/queue"
        assert Client().get(board_url).json()["lanes"][0]["waiting"] == [[first.number, 0]]
        with CaptureQueriesContext(connection) as queries:
            Client().get(board_url)
        assert len(queries) == 0  # the answer came from the cache
        second = services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        waiting = Client().get(board_url).json()["lanes"][0]["waiting"]
        assert [number for number, _seconds in waiting] == [first.number, second.number]
        ticket_url = f"/api/v1/queue/tickets/{second.token}"
        assert Client().get(ticket_url).json()["ahead"] == 1
        Client().get(ticket_url)  # its office known now: kept from here on
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(ticket_url).json()["ahead"] == 1
        assert len(queries) == 0  # a ticket's answer is kept too, until the queue changes
        services.call_next(counter=opened(office_floor.counters[0], world.officer), actor=world.officer)
        assert Client().get(f"/api/v1/queue/tickets/{second.token}").json()["ahead"] == 0
        counters = Client().get(board_url).json()["counters"]
        assert counters[0]["ticket"] == first.number

    def test_ticket_status_queries_do_not_grow_with_the_queue(
        self, world: f.World, office_floor: Floor
    ) -> None:
        def queries_for_last() -> int:
            last = services.walk_in_issue(
                office=world.office, lane=office_floor.passports, actor=world.officer
            )
            Client().get(f"/api/v1/queue/tickets/{last.token}")  # the board, built once per change
            with CaptureQueriesContext(connection) as queries:
                assert Client().get(f"/api/v1/queue/tickets/{last.token}").status_code == 200
            return len(queries)

        few = queries_for_last()
        for _ in range(5):
            services.walk_in_issue(office=world.office, lane=office_floor.visas, actor=world.officer)
        assert queries_for_last() == few == 1  # the ticket with its lane and office


class TestCounterPage:
    def test_open_call_serve_and_close(self, world: f.World, office_floor: Floor, staff_client: Any) -> None:
        services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        officer = staff_client(world.officer)
        base = f"/backoffice/offices/{world.office.code}/queue/counters/1/"
        assert "Sit at Counter 1" in officer.get(base).content.decode()
        officer.post(base + "action/", {"action": "open"})
        officer.post(base + "action/", {"action": "next"})
        ticket = Ticket.objects.get()
        page = officer.get(base).content.decode()
        assert "A-001" in page and "Served" in page
        # A second "call next" (a double click) is refused with a message, nothing changes.
        response = officer.post(base + "action/", {"action": "next"}, follow=True)
        assert "Finish the current visitor first." in response.content.decode()
        officer.post(base + "action/", {"action": "complete", "ticket": ticket.pk})
        assert Ticket.objects.get().status == TicketStatus.COMPLETED
        officer.post(base + "action/", {"action": "close"})
        assert not Counter.objects.get(number=1, office=world.office).is_open

    def test_transfer_and_set_aside_forms(
        self, world: f.World, office_floor: Floor, staff_client: Any
    ) -> None:
        services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        officer = staff_client(world.officer)
        base = f"/backoffice/offices/{world.office.code}/queue/counters/1/action/"
        officer.post(base, {"action": "open"})
        officer.post(base, {"action": "next"})
        ticket = Ticket.objects.get()
        officer.post(base, {"action": "park", "ticket": ticket.pk, "park-note": "fetching a photocopy"})
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.PARKED and ticket.note == "fetching a photocopy"
        officer.post(base, {"action": "call_back", "ticket": ticket.pk})
        officer.post(
            base,
            {"action": "transfer", "ticket": ticket.pk, "transfer-target": f"lane-{office_floor.visas.pk}"},
        )
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.TRANSFERRED
        assert Ticket.objects.get(transferred_from=ticket).lane == office_floor.visas

    def test_other_offices_and_applicants_are_kept_out(
        self, world: f.World, office_floor: Floor, staff_client: Any, client: Client
    ) -> None:
        outsider = staff_client(staff(Role.OFFICER, [world.other_office]))
        assert outsider.get(f"/backoffice/offices/{world.office.code}/queue/counters/1/").status_code == 403
        assert outsider.get(f"/backoffice/offices/{world.office.code}/queue/").status_code == 403
        client.force_login(world.applicant)
        assert client.get(f"/backoffice/offices/{world.office.code}/queue/").status_code == 403


class TestOfficePages:
    def test_today_with_figures_and_walk_in(
        self, world: f.World, office_floor: Floor, staff_client: Any
    ) -> None:
        visit = visitors(world, 1)[0]
        services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code)
        officer = staff_client(world.officer)
        page = officer.get(f"/backoffice/offices/{world.office.code}/queue/").content.decode()
        assert "Checked in" in page and "A-001" in page
        response = officer.post(
            f"/backoffice/offices/{world.office.code}/queue/",
            {"walkin-lane": str(office_floor.pickup.pk), "walkin-priority_reason": "pregnant"},
        )
        ticket = Ticket.objects.get(lane=office_floor.pickup)
        assert response["Location"] == f"/queue/{ticket.token}/print/"
        assert ticket.priority_reason == "pregnant"

    def test_report_for_supervisors_only(
        self, world: f.World, office_floor: Floor, staff_client: Any
    ) -> None:
        services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        base = f"/backoffice/offices/{world.office.code}/queue/report/"
        assert staff_client(world.officer).get(base).status_code == 403
        page = staff_client(world.supervisor).get(base).content.decode()
        assert "Monday, 7 December 2026" in page

    def test_settings_lane_counter_rules(self, world: f.World, staff_client: Any, admin: Any) -> None:
        browser = staff_client(admin)
        base = f"/backoffice/offices/{world.office.code}/queue/settings/"
        response = browser.post(
            base,
            {
                "action": "lane",
                "lane-letter": "a",
                "lane-name_id": "Paspor",
                "lane-group": "passport",
                "lane-is_active": "on",
            },
        )
        assert response.status_code == 302
        lane = Lane.objects.get(office=world.office)
        assert lane.letter == "A"
        bad = browser.post(base, {"action": "lane", "lane-letter": "1", "lane-name_id": "X"})
        assert bad.status_code == 400 and "One capital letter" in bad.content.decode()
        browser.post(
            base,
            {
                "action": "counter",
                "counter-number": "3",
                "counter-lanes": [str(lane.pk)],
                "counter-is_active": "on",
            },
        )
        assert list(Counter.objects.get(office=world.office, number=3).lanes.all()) == [lane]
        browser.post(
            base,
            {
                "action": "rules",
                "rules-priority_every": "3",
                "rules-wait_target_minutes": "45",
                "rules-default_service_minutes": "10",
            },
        )
        assert QueuePolicy.objects.get(office=world.office).priority_every == 3
        assert staff_client(world.officer).get(base).status_code == 403


class TestBookingShowsTheTicket:
    def test_booking_page_and_api_after_check_in(self, world: f.World, office_floor: Floor) -> None:
        visit = booked(f.awaiting_appointment(world))
        ticket = services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code)
        applicant = Client()
        applicant.cookies["django_language"] = "en"
        applicant.force_login(visit.application.applicant)
        page = applicant.get(f"/applications/{visit.application_id}/appointment/").content.decode()
        assert "You are checked in. Your ticket is A-001." in page
        assert f"/queue/{ticket.token}/" in page
        case = applicant.get(f"/applications/{visit.application_id}/").content.decode()
        assert "Follow my turn" in case
        assert "Checked in at the office; waiting to be called." in case  # on the timeline
        answer = applicant.get(f"/api/v1/applications/{visit.application_id}/appointment").json()
        assert answer["status"] == BookingStatus.CHECKED_IN
        assert answer["ticket"]["number"] == "A-001" and answer["ticket_token"] == ticket.token
        # A case checked in cannot book another time meanwhile.
        again = applicant.post(
            f"/api/v1/applications/{visit.application_id}/appointment/hold",
            f'{{"slot": {visit.slot_id}}}',
            content_type="application/json",
        )
        assert again.status_code == 409 and again.json()["code"] == "checked_in"
