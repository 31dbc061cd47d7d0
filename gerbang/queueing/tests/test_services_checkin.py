"""Check-in of booked visitors, and the bookings nobody came for."""

from __future__ import annotations

import datetime as dt

import pytest

from gerbang.applications.tests import factories as f
from gerbang.appointments import selectors as booking_selectors
from gerbang.appointments import services as booking_services
from gerbang.appointments.models import BookingStatus, LatePolicy
from gerbang.appointments.tests.factories import policy
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, NotFound, ValidationError
from gerbang.core.models import Event
from gerbang.queueing import services
from gerbang.queueing.models import Counter, Ticket, TicketSource
from gerbang.queueing.tests.factories import Floor, at, visitors


class TestCheckIn:
    def test_typed_code_gives_a_ticket_in_the_lane_of_the_visit(
        self, world: f.World, office_floor: Floor
    ) -> None:
        visit = visitors(world, 1)[0]
        typed = visit.code.lower().replace("-", " ")
        ticket = services.check_in(actor=SystemActor("tests"), office=world.office, text=typed, now=at(9, 30))
        assert ticket.number == "A-001"
        assert ticket.lane == office_floor.passports
        assert ticket.source == TicketSource.BOOKING
        assert ticket.order_at == at(10)  # early: served by appointment time
        visit.refresh_from_db()
        assert visit.status == BookingStatus.CHECKED_IN
        event = Event.objects.get(code="queue.checked_in")
        assert event.details["public"] and event.details["ticket"] == "A-001"

    def test_scanned_qr_token_checks_in_and_twice_gives_the_same_ticket(
        self, world: f.World, office_floor: Floor
    ) -> None:
        visit = visitors(world, 1)[0]
        token = booking_selectors.token_for(visit)
        first = services.check_in(actor=SystemActor("tests"), office=world.office, text=token, now=at(9, 30))
        again = services.check_in(
            actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(9, 31)
        )
        assert first.pk == again.pk
        assert Ticket.objects.count() == 1

    def test_bad_codes_and_tokens_are_explained(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]
        wrong_check = visit.code[:-1] + ("A" if visit.code[-1] != "A" else "B")
        with pytest.raises(ValidationError, match="not a booking code"):
            services.check_in(
                actor=SystemActor("tests"), office=world.office, text=wrong_check, now=at(9, 30)
            )
        forged = booking_selectors.token_for(visit)[:-4] + "AAAA"
        with pytest.raises(ValidationError, match="not a genuine"):
            services.check_in(actor=SystemActor("tests"), office=world.office, text=forged, now=at(9, 30))
        with pytest.raises(ValidationError, match="Scan the QR code"):
            services.check_in(actor=SystemActor("tests"), office=world.office, text="  ", now=at(9, 30))
        with pytest.raises(NotFound):
            services.check_in(
                actor=SystemActor("tests"), office=world.office, text="0000-0000-0", now=at(9, 30)
            )

    def test_only_at_the_booked_office(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]
        with pytest.raises(Conflict, match="another office"):
            services.check_in(
                actor=SystemActor("tests"), office=world.other_office, text=visit.code, now=at(9, 30)
            )
        with pytest.raises(Conflict, match="another office"):
            services.check_in(
                actor=SystemActor("tests"),
                office=world.other_office,
                text=booking_selectors.token_for(visit),
                now=at(9, 30),
            )

    def test_window_too_early_and_too_late(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]  # 10:00; check-in from 09:00 until 10:30
        with pytest.raises(Conflict, match="opens at 09:00"):
            services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(8, 59))
        with pytest.raises(Conflict, match="closed at 10:30") as refused:
            services.check_in(
                actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(10, 31)
            )
        assert refused.value.code == "too_late"
        assert Ticket.objects.count() == 0

    def test_late_visitors_served_after_those_on_time_when_the_office_says_so(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        policy(world.office, late_policy=LatePolicy.END_OF_QUEUE)
        early, late = visitors(world, 2)
        eleven = visitors(world, 1, hour=11)[0]
        late_ticket = services.check_in(
            actor=SystemActor("tests"), office=world.office, text=late.code, now=at(10, 40)
        )
        assert late_ticket.late
        services.check_in(actor=SystemActor("tests"), office=world.office, text=eleven.code, now=at(10, 45))
        on_time = services.check_in(
            actor=SystemActor("tests"), office=world.office, text=early.code, now=at(10, 20)
        )
        order = [
            services.call_next(counter=officer_at_1, actor=world.officer, now=at(11, 0)) for _ in range(1)
        ]
        assert order[0] is not None and order[0].pk == on_time.pk

    def test_refused_states(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]
        booking_services.booking_cancel(booking=visit, actor=world.officer, now=at(8, 30))
        with pytest.raises(Conflict, match="cancelled"):
            services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(9, 30))

    def test_no_lane_for_the_visit(self, world: f.World) -> None:
        visit = visitors(world, 1)[0]
        with pytest.raises(Conflict, match="no queue for this visit"):
            services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(9, 30))


def test_missed_bookings_become_no_shows(world: f.World, office_floor: Floor) -> None:
    ten, eleven = visitors(world, 1)[0], visitors(world, 1, hour=11)[0]
    assert services.bookings_mark_missed(now=at(10, 31)) == 1
    ten.refresh_from_db()
    eleven.refresh_from_db()
    assert (ten.status, eleven.status) == (BookingStatus.NO_SHOW, BookingStatus.CONFIRMED)
    policy(world.office, late_policy=LatePolicy.END_OF_QUEUE)
    assert services.bookings_mark_missed(now=at(12, 0)) == 0  # may still come today
    assert services.bookings_mark_missed(now=at(12, 0) + dt.timedelta(days=1)) == 1
