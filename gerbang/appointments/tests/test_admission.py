"""The waiting room with a crowd: a thousand people keep their places in line (the counters
must not push anyone's ticket out), and are let in in the order they came. The throttles come
first and stop the visit; a note is kept while waiting. And the two ways of keeping the line
(one Redis script, or Python steps in a process's memory) give the same answers."""

from __future__ import annotations

import datetime as dt
import secrets
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gerbang.appointments import admission
from gerbang.appointments.tests.factories import NOW
from gerbang.core.cache import RedisCache
from gerbang.core.ratelimit import Limit

settings_profile = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


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


# --- The two ways of keeping the line: one Redis script, or Python under a lock ----------------

needs_redis = pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL")


def fresh_counters(backend: str) -> Any:
    if backend == "redis":
        return RedisCache(django_settings.REDIS_URL, {"KEY_PREFIX": f"test-room-{secrets.token_hex(4)}"})
    return LocMemCache(f"test-room-{secrets.token_hex(4)}", {})


BACKENDS = ["memory", pytest.param("redis", marks=needs_redis)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_throttles_count_before_the_line_and_stop_it(backend: str, settings: Any) -> None:
    settings.BOOKING_ADMISSION_RATE = 1
    cache = fresh_counters(backend)

    def visit(who: int) -> Any:
        hits = ((Limit("account", 2, 60), str(who)), (Limit("address", 3, 60), "127.0.0.1"))
        return admission._visit(admission._Visit(who=who, note_key=None, hits=hits, now=1000.0), cache)

    with time_machine.travel(NOW, tick=False):  # all in one window of the throttles
        outcomes = [visit(1), visit(1), visit(1), visit(2)]
    # The account's third attempt in its window; then another account, but the address's fourth.
    assert [o.throttled for o in outcomes] == [None, None, 0, 1]
    # Refused attempts drew no ticket: the second person in line is still the second drawn.
    assert cache.get("wr:ticket:2") is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_note_is_kept_while_waiting_and_dropped_when_let_in(backend: str, settings: Any) -> None:
    settings.BOOKING_ADMISSION_RATE = 1
    cache = fresh_counters(backend)

    def visit(who: int, now: float) -> admission.Turn:
        return admission._visit(
            admission._Visit(who=who, note_key=f"wr:note:{who}", hits=(), now=now), cache
        ).turn

    assert [visit(n, 1000.0).admitted for n in (1, 2, 3, 4)] == [True, True, False, False]
    assert admission._peek(cache, "wr:note:4", 1000.0) == admission.Turn(
        admitted=False, ahead=1, wait_seconds=2
    )
    assert admission._peek(cache, "wr:note:1", 1000.0) is None  # let in: no note
    assert admission._peek(cache, "wr:note:3", 1001.0) is None  # the front has reached them
    assert visit(3, 1001.0).admitted
    assert admission._peek(cache, "wr:note:3", 1001.0) is None


@needs_redis
@settings_profile
@given(
    rate=st.sampled_from([1, 2, 5, 0.5]),
    steps=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=6),  # who
            st.booleans(),  # with a session (a note)
            st.booleans(),  # counted by the throttles
            st.sampled_from([0.0, 0.0, 0.1, 0.3, 0.7, 1.0, 2.5]),  # seconds since the last visit
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_the_redis_script_keeps_the_line_as_the_python_steps_do(rate: int, steps: list[Any]) -> None:
    """Every visit, and every early look, gets the same answer from both ways of keeping it."""
    memory, redis = fresh_counters("memory"), fresh_counters("redis")
    now = 1_700_000_000.25
    # (The throttles' windows by a clock that stands still, so both count in the same one.)
    with override_settings(BOOKING_ADMISSION_RATE=rate), time_machine.travel(NOW, tick=False):
        for who, noted, counted, pause in steps:
            now += pause
            note = f"wr:note:{who}" if noted else None
            hits = ((Limit("a", 4, 60), str(who)), (Limit("address", 30, 60), "127.0.0.1")) if counted else ()
            visit = admission._Visit(who=who, note_key=note, hits=hits, now=now)
            assert admission._visit(visit, memory) == admission._visit(visit, redis)
            for other in range(1, 7):
                key = f"wr:note:{other}"
                assert admission._peek(memory, key, now) == admission._peek(redis, key, now)
    redis.clear()
