"""What a counter does with its visitor: complete, no-show, set aside, return, call back, transfer."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.accounts.models import User
from gerbang.applications.tests import factories as f
from gerbang.appointments.events import VisitCompleted
from gerbang.appointments.models import BookingStatus
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.queueing import selectors, services
from gerbang.queueing.events import TicketCompleted
from gerbang.queueing.models import Counter, Ticket, TicketStatus
from gerbang.queueing.tests.factories import Floor, at, opened, visitors, walk_ins


class TestCounters:
    def test_complete_records_service_time_and_ends_the_booking(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        visit = visitors(world, 1)[0]
        services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(9, 30))
        called = services.call_next(counter=officer_at_1, actor=world.officer, now=at(10, 0))
        assert called is not None and called.waited_seconds == 30 * 60
        done = services.ticket_complete(ticket=called, actor=world.officer, now=at(10, 12))
        assert done.status == TicketStatus.COMPLETED and done.service_seconds == 12 * 60
        visit.refresh_from_db()
        assert visit.status == BookingStatus.DONE

    def test_no_show_ends_ticket_and_booking(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        visit = visitors(world, 1)[0]
        services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(9, 30))
        called = services.call_next(counter=officer_at_1, actor=world.officer)
        assert called is not None
        recalled = services.ticket_recall(ticket=called, actor=world.officer)
        assert recalled.calls == 2
        services.ticket_no_show(ticket=recalled, actor=world.officer)
        visit.refresh_from_db()
        assert visit.status == BookingStatus.NO_SHOW
        with pytest.raises(Conflict, match="reload"):
            services.ticket_complete(ticket=recalled, actor=world.officer)

    def test_park_then_return_to_the_front_or_call_back(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        first, second, _third = walk_ins(office_floor, world.officer, 3)
        called = services.call_next(counter=officer_at_1, actor=world.officer)
        assert called is not None and called.pk == first.pk
        services.ticket_park(ticket=called, actor=world.officer, note="photocopy of KTP")
        nxt = services.call_next(counter=officer_at_1, actor=world.officer)
        assert nxt is not None and nxt.pk == second.pk
        services.ticket_complete(ticket=nxt, actor=world.officer)
        parked = Ticket.objects.get(pk=first.pk)
        services.ticket_return(ticket=parked, actor=world.officer)
        again = services.call_next(counter=officer_at_1, actor=world.officer)
        assert again is not None and again.pk == first.pk and again.calls == 2
        services.ticket_park(ticket=again, actor=world.officer)
        back = services.ticket_call_back(
            ticket=Ticket.objects.get(pk=first.pk), counter=officer_at_1, actor=world.officer
        )
        assert back.status == TicketStatus.CALLED and back.calls == 3

    def test_transfer_keeps_the_number_and_the_place(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter, second_officer: User
    ) -> None:
        first = walk_ins(office_floor, world.officer, 1)[0]
        services.walk_in_issue(
            office=world.office, lane=office_floor.visas, actor=world.officer, now=at(9, 1)
        )
        called = services.call_next(counter=officer_at_1, actor=world.officer)
        assert called is not None
        successor = services.ticket_transfer(
            ticket=called, lane=office_floor.visas, actor=world.officer, note="visa"
        )
        assert successor.number == first.number and successor.lane == office_floor.visas
        assert Ticket.objects.get(pk=first.pk).status == TicketStatus.TRANSFERRED
        # The phone page of the first ticket follows to its successor.
        assert selectors.ticket_by_token(first.token).pk == successor.pk
        counter_b = opened(office_floor.counters[1], second_officer)
        nxt = services.call_next(counter=counter_b, actor=second_officer)
        assert nxt is not None and nxt.pk == successor.pk  # ahead of B-001: it came earlier

    def test_transfer_to_one_counter(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter, second_officer: User
    ) -> None:
        walk_ins(office_floor, world.officer, 2)
        called = services.call_next(counter=officer_at_1, actor=world.officer)
        assert called is not None
        target = office_floor.counters[1]
        successor = services.ticket_transfer(ticket=called, counter=target, actor=world.officer)
        assert successor.for_counter == target
        services.counter_close(counter=officer_at_1, actor=world.officer)
        officer_again = opened(office_floor.counters[0], world.officer)
        nxt = services.call_next(counter=officer_again, actor=world.officer)
        assert nxt is not None and nxt.pk != successor.pk  # counter 1 may not take it
        at_two = opened(target, second_officer)
        mine = services.call_next(counter=at_two, actor=second_officer)
        assert mine is not None and mine.pk == successor.pk
        with pytest.raises(ValidationError):
            services.ticket_transfer(ticket=mine, counter=at_two, actor=second_officer)


def test_a_visitor_served_is_a_visit_completed_and_one_who_did_not_come_is_not(
    world: f.World, office_floor: Floor, officer_at_1: Counter, published: Any
) -> None:
    completed = published(VisitCompleted)
    served_at_counter = published(TicketCompleted)
    served, absent = visitors(world, 2)
    for visit in (served, absent):
        services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(9, 30))
    first = services.call_next(counter=officer_at_1, actor=world.officer, now=at(10, 0))
    assert first is not None and first.booking_id == served.pk
    services.ticket_complete(ticket=first, actor=world.officer, now=at(10, 12))
    second = services.call_next(counter=officer_at_1, actor=world.officer, now=at(10, 13))
    assert second is not None
    services.ticket_no_show(ticket=second, actor=world.officer)
    assert [e.booking.pk for e in completed] == [served.pk]
    assert [e.ticket.pk for e in served_at_counter] == [first.pk]


def test_setting_a_visitor_aside_keeps_the_note_they_came_with(
    world: f.World, office_floor: Floor, officer_at_1: Counter
) -> None:
    from gerbang.core import events
    from gerbang.core.models import Event

    ticket = services.walk_in_issue(
        office=world.office,
        lane=office_floor.passports,
        actor=world.officer,
        note="Perlu bantuan membaca (tunanetra)",
        now=at(9, 0),
    )
    called = services.call_next(counter=officer_at_1, actor=world.officer, now=at(9, 5))
    assert called is not None and called.pk == ticket.pk
    services.ticket_park(ticket=called, actor=world.officer, note="Menunggu fotokopi KK")
    parked = Ticket.objects.get(pk=ticket.pk)
    assert parked.note == "Perlu bantuan membaca (tunanetra) · Menunggu fotokopi KK"
    issued = Event.objects.select_related("note").get(code="queue.walk_in", subject_id=str(ticket.pk))
    assert events.note_of(issued) == "Perlu bantuan membaca (tunanetra)"


def test_joined_notes_keep_the_earlier_one_whole() -> None:
    from gerbang.queueing.services.visitors import notes_joined

    assert notes_joined("", "baru") == "baru"
    assert notes_joined("lama", "") == "lama"
    assert notes_joined("lama", "lama") == "lama"
    joined = notes_joined("a" * 150, "b" * 100)
    assert len(joined) == 200 and joined.startswith("a" * 150 + " · b") and joined.endswith("…")
