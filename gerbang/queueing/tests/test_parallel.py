"""Real parallel calls on PostgreSQL: many counters pressing "call next" at the same instant
each get a different ticket, and the same booking checked in at two kiosks at once gets one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications.tests import factories as f
from gerbang.appointments.tests.factories import NOW, weekday_hours
from gerbang.core.actors import SystemActor
from gerbang.core.tests.concurrency import in_parallel
from gerbang.queueing import services
from gerbang.queueing.models import Counter, Ticket, TicketStatus
from gerbang.queueing.tests.factories import floor, visitors

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel requests need a server database"),
]


def test_many_counters_call_at_once() -> None:
    world = f.make_world()
    lanes = floor(world.office, counters=1)
    counters = [Counter.objects.create(office=world.office, number=n) for n in range(10, 18)]
    officers = [staff(Role.OFFICER, [world.office]) for _ in counters]
    for counter, officer in zip(counters, officers, strict=True):
        counter.lanes.set([lanes.passports])
        services.counter_open(counter=counter, actor=officer)
    for _ in range(5):
        services.walk_in_issue(office=world.office, lane=lanes.passports, actor=officers[0])

    def call(counter: Counter, officer: Any) -> Callable[[], Ticket | None]:
        return lambda: services.call_next(counter=Counter.objects.get(pk=counter.pk), actor=officer)

    results = in_parallel([call(c, o) for c, o in zip(counters, officers, strict=True)])
    assert not [r for r in results if isinstance(r, Exception)], results
    called = [r.pk for r in results if r is not None]
    assert len(called) == len(set(called)) == 5  # five tickets, five counters, nobody twice
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 5
    assert Ticket.objects.filter(status=TicketStatus.WAITING).count() == 0


def test_one_booking_at_two_kiosks() -> None:
    world = f.make_world()
    weekday_hours(world.office, capacity=5)
    floor(world.office)
    with time_machine.travel(NOW, tick=True):
        visit = visitors(world, 1)[0]
        results = in_parallel(
            [
                lambda: services.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code)
                for _ in range(4)
            ]
        )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.pk for r in results}) == 1
    assert Ticket.objects.count() == 1
