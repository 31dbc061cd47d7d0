"""The queue as a state machine: random walk-ins, calls, recalls, no-shows, set-asides, returns,
call-backs, transfers and completions at two counters sharing lanes, under a random priority
rule. Every call must be the one the rule says (checked against a model of the queue), no ticket
is ever called while called elsewhere, a counter serves one visitor at a time, and once the
day is worked through every ticket has ended completed, as a no-show or transferred."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.exceptions import Conflict
from gerbang.queueing import services
from gerbang.queueing.models import FINAL, Counter, Lane, QueuePolicy, Ticket, TicketStatus
from gerbang.queueing.tests.factories import at

pytestmark = pytest.mark.django_db

_offices = itertools.count()


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.office = OfficeFactory.create(code=f"machine-{next(_offices)}")
        self.lanes = [
            Lane.objects.create(office=self.office, letter=letter, name_id=letter) for letter in ("A", "B")
        ]
        # Counter 1 serves both lanes, counter 2 only lane A.
        self.counters = [Counter.objects.create(office=self.office, number=n) for n in (1, 2)]
        self.counters[0].lanes.set(self.lanes)
        self.counters[1].lanes.set(self.lanes[:1])
        self.officers = [staff(Role.OFFICER, [self.office]) for _ in self.counters]
        for counter, officer in zip(self.counters, self.officers, strict=True):
            services.counter_open(counter=counter, actor=officer)
        self.clock = at(8)
        self.every = 1
        # The model: per ticket id its lane, priority, status, counter, for_counter, order key.
        self.tickets: dict[int, dict[str, Any]] = {}
        self.since = {lane.pk: 0 for lane in self.lanes}
        self.called_ever: set[int] = set()

    def tick(self) -> dt.datetime:
        self.clock += dt.timedelta(minutes=1)
        return self.clock

    @initialize(
        every=st.integers(min_value=1, max_value=4),
        arrivals=st.lists(st.tuples(st.integers(0, 1), st.booleans()), min_size=1, max_size=10),
    )
    def morning(self, every: int, arrivals: list[tuple[int, bool]]) -> None:
        """The office's rule, and the visitors already waiting when the counters open (always
        run: Hypothesis may leave some rules out of an example, walk-ins included)."""
        self.every = every
        QueuePolicy.objects.create(office=self.office, priority_every=every)
        for lane, priority in arrivals:
            self.walk_in(lane, priority)

    # --- The model of the rule ----------------------------------------------------------------

    def serving(self, c: int) -> int | None:
        return next(
            (pk for pk, t in self.tickets.items() if t["status"] == "called" and t["counter"] == c), None
        )

    def expected_next(self, c: int) -> int | None:
        lanes = {0, 1} if c == 0 else {0}
        waiting = [
            (pk, t)
            for pk, t in self.tickets.items()
            if t["status"] == "waiting" and t["lane"] in lanes and t["for_counter"] in (None, c)
        ]
        mine = sorted((t["order"], pk) for pk, t in waiting if t["for_counter"] == c)
        if mine:
            return mine[0][1]
        candidates = []
        for lane in sorted(lanes):
            in_lane = [(t["order"], pk, t["priority"]) for pk, t in waiting if t["lane"] == lane]
            regular = sorted(item for item in in_lane if not item[2])
            priority = sorted(item for item in in_lane if item[2])
            since = self.since[self.lanes[lane].pk]
            if priority and (not regular or since >= self.every - 1):
                candidates.append(priority[0])
            elif regular:
                candidates.append(regular[0])
        if not candidates:
            return None
        return min(candidates, key=lambda item: (not item[2], item[0], item[1]))[1]

    # --- Rules -----------------------------------------------------------------------------

    @rule(lane=st.integers(0, 1), priority=st.booleans())
    def walk_in(self, lane: int, priority: bool) -> None:
        ticket = services.walk_in_issue(
            office=self.office,
            lane=self.lanes[lane],
            actor=self.officers[0],
            priority_reason="elderly" if priority else "",
            now=self.tick(),
        )
        assert ticket.status == TicketStatus.WAITING
        self.tickets[ticket.pk] = {
            "lane": lane,
            "priority": priority,
            "status": "waiting",
            "counter": None,
            "for_counter": None,
            "order": (ticket.late, ticket.order_at, ticket.pk),
        }

    @rule(c=st.integers(0, 1))
    def call_next(self, c: int) -> None:
        counter = self.counters[c]
        if self.serving(c) is not None:
            try:
                services.call_next(counter=counter, actor=self.officers[c], now=self.tick())
            except Conflict:
                return
            raise AssertionError("a counter serving a visitor called another")
        expected = self.expected_next(c)
        got = services.call_next(counter=counter, actor=self.officers[c], now=self.tick())
        assert (got.pk if got else None) == expected
        if got is None:
            return
        model = self.tickets[got.pk]
        assert model["status"] == "waiting", "a ticket was called that was not waiting"
        model.update(status="called", counter=c, for_counter=None)
        lane_pk = self.lanes[model["lane"]].pk
        self.since[lane_pk] = 0 if model["priority"] else self.since[lane_pk] + 1
        self.called_ever.add(got.pk)

    def _current(self, c: int) -> Ticket | None:
        pk = self.serving(c)
        return Ticket.objects.get(pk=pk) if pk is not None else None

    @rule(c=st.integers(0, 1), outcome=st.sampled_from(["complete", "no_show", "recall", "park"]))
    def finish(self, c: int, outcome: str) -> None:
        ticket = self._current(c)
        if ticket is None:
            return
        actor = self.officers[c]
        if outcome == "complete":
            services.ticket_complete(ticket=ticket, actor=actor, now=self.tick())
            self.tickets[ticket.pk]["status"] = "completed"
        elif outcome == "no_show":
            services.ticket_no_show(ticket=ticket, actor=actor, now=self.tick())
            self.tickets[ticket.pk]["status"] = "no_show"
        elif outcome == "recall":
            services.ticket_recall(ticket=ticket, actor=actor, now=self.tick())
        else:
            services.ticket_park(ticket=ticket, actor=actor)
            self.tickets[ticket.pk]["status"] = "parked"

    @rule(c=st.integers(0, 1), back=st.booleans(), data=st.data())
    def unpark(self, c: int, back: bool, data: st.DataObject) -> None:
        parked = sorted(pk for pk, t in self.tickets.items() if t["status"] == "parked")
        if not parked:
            return
        pk = data.draw(st.sampled_from(parked))
        ticket = Ticket.objects.select_related("counter").get(pk=pk)
        if back:
            if self.serving(c) is not None:
                return
            services.ticket_call_back(
                ticket=ticket, counter=self.counters[c], actor=self.officers[c], now=self.tick()
            )
            self.tickets[pk].update(status="called", counter=c)
        else:
            services.ticket_return(ticket=ticket, actor=self.officers[c])
            self.tickets[pk].update(status="waiting", counter=None)

    @rule(c=st.integers(0, 1), to_counter=st.booleans())
    def transfer(self, c: int, to_counter: bool) -> None:
        ticket = self._current(c)
        if ticket is None:
            return
        model = self.tickets[ticket.pk]
        if to_counter:
            target = 1 - c
            if model["lane"] == 1 and target == 1:
                return  # counter 2 does not serve lane B
            successor = services.ticket_transfer(
                ticket=ticket, counter=self.counters[target], actor=self.officers[c], now=self.tick()
            )
            lane, for_counter = model["lane"], target
        else:
            lane, for_counter = 1 - model["lane"], None
            successor = services.ticket_transfer(
                ticket=ticket, lane=self.lanes[lane], actor=self.officers[c], now=self.tick()
            )
        assert successor.number == ticket.number
        model["status"] = "transferred"
        self.tickets[successor.pk] = {
            "lane": lane,
            "priority": model["priority"],
            "status": "waiting",
            "counter": None,
            "for_counter": for_counter,
            "order": (successor.late, successor.order_at, successor.pk),
        }

    # --- What must always hold ---------------------------------------------------------------

    @invariant()
    def database_agrees_with_the_model(self) -> None:
        stored = dict(Ticket.objects.filter(office=self.office).values_list("pk", "status"))
        assert stored == {pk: t["status"] for pk, t in self.tickets.items()}
        per_counter = [
            Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED).count()
            for counter in self.counters
        ]
        assert max(per_counter) <= 1

    def teardown(self) -> None:
        """Work the day through: every ticket must end completed, no-show or transferred."""
        for _round in range(3):
            for c, counter in enumerate(self.counters):
                while True:
                    current = self._current(c)
                    if current is None:
                        current = services.call_next(counter=counter, actor=self.officers[c], now=self.tick())
                        if current is None:
                            break
                        self.tickets[current.pk]["status"] = "called"
                    services.ticket_complete(ticket=current, actor=self.officers[c], now=self.tick())
                    self.tickets[current.pk]["status"] = "completed"
            for ticket in Ticket.objects.filter(
                office=self.office, status=TicketStatus.PARKED
            ).select_related("counter"):
                services.ticket_return(ticket=ticket, actor=self.officers[0])
        statuses = set(Ticket.objects.filter(office=self.office).values_list("status", flat=True))
        assert statuses <= set(FINAL), statuses


def test_the_queue_follows_its_rules(db: None) -> None:
    run_state_machine_as_test(
        QueueMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
