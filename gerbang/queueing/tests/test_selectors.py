"""Reading the queue: the call order as predicted, estimated waits, the board's state."""

from __future__ import annotations

from gerbang.applications.tests import factories as f
from gerbang.queueing import selectors, services
from gerbang.queueing.models import Counter, QueuePolicy
from gerbang.queueing.tests.factories import Floor, at, opened, walk_ins


class TestPriority:
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
