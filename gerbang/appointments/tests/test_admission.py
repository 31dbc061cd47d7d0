"""The waiting room with a crowd: a thousand people keep their places in line (the counters
must not push anyone's ticket out), and are let in in the order they came."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import time_machine

from gerbang.appointments import admission
from gerbang.appointments.tests.factories import NOW


def person(pk: int) -> Any:
    return SimpleNamespace(user=SimpleNamespace(pk=pk))


def test_a_crowd_is_let_in_in_order(settings: Any) -> None:
    settings.BOOKING_ADMISSION_RATE = 100
    crowd = [person(pk) for pk in range(1, 1001)]
    first = [admission.waiting_room(p) for p in crowd]
    admitted = [n for n, turn in enumerate(first) if turn.admitted]
    assert admitted == list(range(101))  # the first, and a second's worth beyond
    assert [t.ahead for t in first[101:104]] == [0, 1, 2]
    assert first[-1].ahead == 898 and first[-1].wait_seconds == 9
    for second in range(1, 11):
        with time_machine.travel(NOW + dt.timedelta(seconds=second), tick=False):
            turns = [admission.waiting_room(p) for p in crowd]
        let_in = sum(t.admitted for t in turns)
        assert let_in == min(1000, 101 + 100 * second), (second, let_in)
        # Nobody who was let in lost the pass; nobody overtook anyone.
        assert all(turns[n].admitted for n in range(let_in))
