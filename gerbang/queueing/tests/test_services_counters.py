"""Counters: opened by one officer, calling the next visitor by the priority rule."""

from __future__ import annotations

import pytest

from gerbang.accounts.models import User
from gerbang.applications.tests import factories as f
from gerbang.core.exceptions import Conflict, PermissionDenied
from gerbang.queueing import services
from gerbang.queueing.models import Counter, LaneDay, QueuePolicy, TicketStatus
from gerbang.queueing.tests.factories import Floor, opened, walk_ins


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
        self, world: f.World, office_floor: Floor, second_officer: User
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
        self, world: f.World, office_floor: Floor, officer_at_1: Counter, second_officer: User
    ) -> None:
        walk_ins(office_floor, world.officer, 2)
        other = opened(office_floor.counters[1], second_officer)
        first = services.call_next(counter=officer_at_1, actor=world.officer)
        second = services.call_next(counter=other, actor=second_officer)
        assert first is not None and second is not None and first.pk != second.pk
        assert {first.counter_id, second.counter_id} == {officer_at_1.pk, other.pk}

    def test_nobody_waiting(self, world: f.World, office_floor: Floor, officer_at_1: Counter) -> None:
        assert services.call_next(counter=officer_at_1, actor=world.officer) is None


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
