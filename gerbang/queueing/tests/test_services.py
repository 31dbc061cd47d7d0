"""Check-in, tickets, counters and the priority rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gerbang.applications.tests import factories as f
from gerbang.appointments import selectors as booking_selectors
from gerbang.appointments import services as booking_services
from gerbang.appointments.models import BookingStatus, LatePolicy
from gerbang.appointments.tests.factories import policy
from gerbang.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.live.models import LiveMessage
from gerbang.queueing import selectors, services
from gerbang.queueing.models import Counter, LaneDay, QueuePolicy, Ticket, TicketSource, TicketStatus
from gerbang.queueing.tests.factories import Floor, at, opened, visitors


def walk_ins(floor: Floor, officer: object, count: int, *, priority: str = "") -> list[Ticket]:
    return [
        services.walk_in_issue(
            office=floor.passports.office, lane=floor.passports, actor=officer, priority_reason=priority
        )
        for _ in range(count)
    ]


class TestCheckIn:
    def test_typed_code_gives_a_ticket_in_the_lane_of_the_visit(
        self, world: f.World, office_floor: Floor
    ) -> None:
        visit = visitors(world, 1)[0]
        typed = visit.code.lower().replace("-", " ")
        ticket = services.check_in(office=world.office, text=typed, now=at(9, 30))
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
        first = services.check_in(office=world.office, text=token, now=at(9, 30))
        again = services.check_in(office=world.office, text=visit.code, now=at(9, 31))
        assert first.pk == again.pk
        assert Ticket.objects.count() == 1

    def test_bad_codes_and_tokens_are_explained(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]
        wrong_check = visit.code[:-1] + ("A" if visit.code[-1] != "A" else "B")
        with pytest.raises(ValidationError, match="not a booking code"):
            services.check_in(office=world.office, text=wrong_check, now=at(9, 30))
        forged = booking_selectors.token_for(visit)[:-4] + "AAAA"
        with pytest.raises(ValidationError, match="not a genuine"):
            services.check_in(office=world.office, text=forged, now=at(9, 30))
        with pytest.raises(ValidationError, match="Scan the QR code"):
            services.check_in(office=world.office, text="  ", now=at(9, 30))
        with pytest.raises(NotFound):
            services.check_in(office=world.office, text="0000-0000-0", now=at(9, 30))

    def test_only_at_the_booked_office(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]
        with pytest.raises(Conflict, match="another office"):
            services.check_in(office=world.other_office, text=visit.code, now=at(9, 30))
        with pytest.raises(Conflict, match="another office"):
            services.check_in(
                office=world.other_office, text=booking_selectors.token_for(visit), now=at(9, 30)
            )

    def test_window_too_early_and_too_late(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]  # 10:00; check-in from 09:00 until 10:30
        with pytest.raises(Conflict, match="opens at 09:00"):
            services.check_in(office=world.office, text=visit.code, now=at(8, 59))
        with pytest.raises(Conflict, match="closed at 10:30") as refused:
            services.check_in(office=world.office, text=visit.code, now=at(10, 31))
        assert refused.value.code == "too_late"
        assert Ticket.objects.count() == 0

    def test_late_visitors_served_after_those_on_time_when_the_office_says_so(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        policy(world.office, late_policy=LatePolicy.END_OF_QUEUE)
        early, late = visitors(world, 2)
        eleven = visitors(world, 1, hour=11)[0]
        late_ticket = services.check_in(office=world.office, text=late.code, now=at(10, 40))
        assert late_ticket.late
        services.check_in(office=world.office, text=eleven.code, now=at(10, 45))
        on_time = services.check_in(office=world.office, text=early.code, now=at(10, 20))
        order = [
            services.call_next(counter=officer_at_1, actor=world.officer, now=at(11, 0)) for _ in range(1)
        ]
        assert order[0] is not None and order[0].pk == on_time.pk

    def test_refused_states(self, world: f.World, office_floor: Floor) -> None:
        visit = visitors(world, 1)[0]
        booking_services.booking_cancel(booking=visit, user=world.officer, now=at(8, 30))
        with pytest.raises(Conflict, match="cancelled"):
            services.check_in(office=world.office, text=visit.code, now=at(9, 30))

    def test_no_lane_for_the_visit(self, world: f.World) -> None:
        visit = visitors(world, 1)[0]
        with pytest.raises(Conflict, match="no queue for this visit"):
            services.check_in(office=world.office, text=visit.code, now=at(9, 30))


@pytest.fixture
def officer_at_1(world: f.World, office_floor: Floor) -> Counter:
    return opened(office_floor.counters[0], world.officer)


@pytest.fixture
def second_officer(world: f.World) -> object:
    from gerbang.accounts.models import Role
    from gerbang.accounts.tests.factories import staff

    return staff(Role.OFFICER, [world.office])


class TestCounters:
    def test_walk_ins_numbered_per_lane_and_called_in_order(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        tickets = walk_ins(office_floor, world.officer, 3)
        assert [t.number for t in tickets] == ["A-001", "A-002", "A-003"]
        pickup = services.walk_in_issue(office=world.office, lane=office_floor.pickup, actor=world.officer)
        assert pickup.number == "C-001"
        called = services.call_next(counter=officer_at_1, actor=world.officer)
        assert called is not None and called.number == "A-001"
        assert called.status == TicketStatus.CALLED and called.counter == officer_at_1
        assert called.waited_seconds == 0

    def test_finish_the_current_visitor_first(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        walk_ins(office_floor, world.officer, 2)
        services.call_next(counter=officer_at_1, actor=world.officer)
        with pytest.raises(Conflict, match="Finish the current visitor"):
            services.call_next(counter=officer_at_1, actor=world.officer)
        with pytest.raises(Conflict, match="before closing"):
            services.counter_close(counter=officer_at_1, actor=world.officer)

    def test_only_the_officer_at_the_counter_calls(
        self, world: f.World, office_floor: Floor, second_officer: object
    ) -> None:
        walk_ins(office_floor, world.officer, 1)
        with pytest.raises(Conflict, match="Open this counter first"):
            services.call_next(counter=office_floor.counters[0], actor=world.officer)
        with pytest.raises(PermissionDenied):
            services.counter_open(counter=office_floor.counters[0], actor=world.applicant)
        opened(office_floor.counters[0], world.officer)
        # Another officer takes the counter over; the first may not call there any more.
        opened(office_floor.counters[0], second_officer)
        with pytest.raises(Conflict, match="Open this counter first"):
            services.call_next(
                counter=Counter.objects.get(pk=office_floor.counters[0].pk), actor=world.officer
            )

    def test_an_officer_has_one_counter_open(self, world: f.World, office_floor: Floor) -> None:
        opened(office_floor.counters[0], world.officer)
        opened(office_floor.counters[1], world.officer)
        assert not Counter.objects.get(pk=office_floor.counters[0].pk).is_open
        assert Counter.objects.get(pk=office_floor.counters[1].pk).opened_by == world.officer

    def test_two_counters_never_get_the_same_ticket(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter, second_officer: object
    ) -> None:
        walk_ins(office_floor, world.officer, 2)
        other = opened(office_floor.counters[1], second_officer)
        first = services.call_next(counter=officer_at_1, actor=world.officer)
        second = services.call_next(counter=other, actor=second_officer)
        assert first is not None and second is not None and first.pk != second.pk
        assert {first.counter_id, second.counter_id} == {officer_at_1.pk, other.pk}

    def test_nobody_waiting(self, world: f.World, office_floor: Floor, officer_at_1: Counter) -> None:
        assert services.call_next(counter=officer_at_1, actor=world.officer) is None

    def test_complete_records_service_time_and_ends_the_booking(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter
    ) -> None:
        visit = visitors(world, 1)[0]
        services.check_in(office=world.office, text=visit.code, now=at(9, 30))
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
        services.check_in(office=world.office, text=visit.code, now=at(9, 30))
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
        self, world: f.World, office_floor: Floor, officer_at_1: Counter, second_officer: object
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
        self, world: f.World, office_floor: Floor, officer_at_1: Counter, second_officer: object
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


class TestPriority:
    def test_priority_first(self, world: f.World, office_floor: Floor, officer_at_1: Counter) -> None:
        regular = walk_ins(office_floor, world.officer, 2)
        elderly = walk_ins(office_floor, world.officer, 1, priority="elderly")[0]
        order = [services.call_next(counter=officer_at_1, actor=world.officer) for _ in range(1)]
        assert order[0] is not None and order[0].pk == elderly.pk
        services.ticket_complete(ticket=order[0], actor=world.officer)
        nxt = services.call_next(counter=officer_at_1, actor=world.officer)
        assert nxt is not None and nxt.pk == regular[0].pk

    def test_every_third_call(self, world: f.World, office_floor: Floor, officer_at_1: Counter) -> None:
        QueuePolicy.objects.create(office=world.office, priority_every=3)
        regular = walk_ins(office_floor, world.officer, 4)
        priority = walk_ins(office_floor, world.officer, 2, priority="pregnant")
        calls = []
        for _ in range(6):
            ticket = services.call_next(counter=officer_at_1, actor=world.officer)
            assert ticket is not None
            calls.append(ticket.pk)
            services.ticket_complete(ticket=ticket, actor=world.officer)
        r, p = [t.pk for t in regular], [t.pk for t in priority]
        # The lane's count starts at 0: two others, then a priority visitor, and so on.
        assert calls == [r[0], r[1], p[0], r[2], r[3], p[1]]
        assert LaneDay.objects.get(lane=office_floor.passports).regular_since_priority == 0

    def test_prediction_follows_the_rule(self, world: f.World, office_floor: Floor) -> None:
        QueuePolicy.objects.create(office=world.office, priority_every=2)
        regular = walk_ins(office_floor, world.officer, 3)
        priority = walk_ins(office_floor, world.officer, 1, priority="disability")
        queue = next(q for q in selectors.lane_queues(world.office) if q.lane == office_floor.passports)
        assert [t.pk for t, _seconds in queue.waiting] == [
            regular[0].pk,
            priority[0].pk,
            regular[1].pk,
            regular[2].pk,
        ]


class TestEstimates:
    def test_wait_from_recent_service_times_and_open_counters(
        self, world: f.World, office_floor: Floor, officer_at_1: Counter, second_officer: object
    ) -> None:
        for minutes in (4, 6):
            ticket = walk_ins(office_floor, world.officer, 1)[0]
            called = services.call_next(counter=officer_at_1, actor=world.officer, now=at(9, 0))
            assert called is not None and called.pk == ticket.pk
            services.ticket_complete(ticket=called, actor=world.officer, now=at(9, minutes))
        waiting = walk_ins(office_floor, world.officer, 3)
        view = selectors.ticket_view(waiting[2])
        assert view.ahead == 2
        assert view.wait_seconds == 2 * 5 * 60  # five minutes each, one counter open
        opened(office_floor.counters[1], second_officer)
        assert selectors.ticket_view(waiting[2]).wait_seconds == 5 * 60  # two counters

    def test_default_minutes_before_any_figures(self, world: f.World, office_floor: Floor) -> None:
        waiting = walk_ins(office_floor, world.officer, 2)
        assert selectors.ticket_view(waiting[1]).wait_seconds == 8 * 60


class TestBoard:
    def test_state_lists_counters_calls_and_lanes(
        self,
        world: f.World,
        office_floor: Floor,
        officer_at_1: Counter,
        django_capture_on_commit_callbacks: object,
    ) -> None:
        walk_ins(office_floor, world.officer, 2)
        called = services.call_next(counter=officer_at_1, actor=world.officer)
        state = selectors.board_state(world.office)
        assert state["counters"][0] == {
            "number": 1,
            "open": True,
            "ticket": called.number if called else None,
            "lane": "A",
            "called_at": called.last_called_at.isoformat() if called and called.last_called_at else None,
            "calls": 1,
        }
        assert state["counters"][1]["open"] is False
        assert state["recent"][0]["ticket"] == "A-001"
        lane_a = next(lane for lane in state["lanes"] if lane["letter"] == "A")
        assert lane_a["waiting"] == [["A-002", 0]]

    def test_changes_are_published_after_commit(
        self, world: f.World, office_floor: Floor, django_capture_on_commit_callbacks: object, settings: Any
    ) -> None:
        settings.REDIS_URL = ""  # the table, not Redis (the relay's tests cover both)
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        message = LiveMessage.objects.get()
        assert message.channel == "queue:mesuji"
        assert '"A-001"' in message.data


def test_missed_bookings_become_no_shows(world: f.World, office_floor: Floor) -> None:
    ten, eleven = visitors(world, 1)[0], visitors(world, 1, hour=11)[0]
    assert services.bookings_mark_missed(now=at(10, 31)) == 1
    ten.refresh_from_db()
    eleven.refresh_from_db()
    assert (ten.status, eleven.status) == (BookingStatus.NO_SHOW, BookingStatus.CONFIRMED)
    policy(world.office, late_policy=LatePolicy.END_OF_QUEUE)
    assert services.bookings_mark_missed(now=at(12, 0)) == 0  # may still come today
    assert services.bookings_mark_missed(now=at(12, 0) + dt.timedelta(days=1)) == 1


def test_only_staff_of_the_office_issue_walk_ins(world: f.World, office_floor: Floor) -> None:
    from gerbang.accounts.models import Role
    from gerbang.accounts.tests.factories import staff

    outsider = staff(Role.OFFICER, [world.other_office])
    with pytest.raises(PermissionDenied):
        services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=outsider)


def test_no_walk_in_ticket_while_the_office_is_closed_unless_confirmed(
    world: f.World, office_floor: Floor
) -> None:
    from gerbang.catalog.services import opening_hours_set

    opening_hours_set(office=world.office, periods=[(d, dt.time(8), dt.time(16)) for d in range(5)])
    late = at(23, 37)  # Monday night
    with pytest.raises(ValidationError) as refused:
        services.walk_in_issue(
            office=world.office, lane=office_floor.passports, actor=world.officer, now=late
        )
    assert "closed now" in str(refused.value.message) and "08:00\u201316:00" in str(refused.value.message)
    assert refused.value.field == "after_hours"
    saturday = at(10, 0) + dt.timedelta(days=5)
    with pytest.raises(ValidationError, match="closed all day today"):
        services.walk_in_issue(
            office=world.office, lane=office_floor.passports, actor=world.officer, now=saturday
        )
    assert not Ticket.objects.exists()
    # A visitor who came in before closing is still served, and that is recorded.
    ticket = services.walk_in_issue(
        office=world.office, lane=office_floor.passports, actor=world.officer, after_hours=True, now=late
    )
    assert Event.objects.get(code="queue.walk_in", subject_id=str(ticket.pk)).details["after_hours"] is True
    assert services.walk_in_issue(
        office=world.office, lane=office_floor.passports, actor=world.officer, now=at(10, 0)
    )
