"""Real parallel requests on PostgreSQL: many people for one slot, one person for many slots,
and holds lapsing while their owners confirm. Afterwards the database itself must agree: no
slot holds more bookings than its capacity, every slot's count equals its active bookings,
and no case has two."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Count, Q
from django.test import Client

from gerbang.applications.tests import factories as f
from gerbang.appointments import services
from gerbang.appointments.models import ACTIVE, Booking, BookingStatus, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, waiting_cases, weekday_hours
from gerbang.core.tests.concurrency import in_parallel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel requests need a server database"),
]


def assert_invariants() -> None:
    for slot in Slot.objects.annotate(active=Count("bookings", filter=Q(bookings__status__in=ACTIVE))):
        assert slot.booked <= slot.capacity, slot
        assert slot.booked == slot.active, slot
    per_case = Counter(Booking.objects.filter(status__in=ACTIVE).values_list("application_id", flat=True))
    assert max(per_case.values(), default=0) <= 1


def hold_request(case: Any, slot_id: int) -> Callable[[], int]:
    def post() -> int:
        client = Client()
        client.force_login(case.applicant)
        response = client.post(
            f"/api/v1/applications/{case.pk}/appointment/hold",
            json.dumps({"slot": slot_id}),
            content_type="application/json",
        )
        return response.status_code

    return post


@pytest.fixture(autouse=True)
def _everyone_admitted(settings: Any) -> None:
    """These tests are about the slots; the waiting room is tested on its own."""
    settings.BOOKING_ADMISSION_RATE = 1e9


@pytest.fixture
def world() -> f.World:
    world = f.make_world()
    weekday_hours(world.office, capacity=5)
    return world


def tuesday_slots(world: f.World) -> list[Slot]:
    day = MONDAY + dt.timedelta(days=1)
    services.slots_ensure(office=world.office, group="passport", until=day, now=NOW)
    return list(Slot.objects.filter(office=world.office, day=day).order_by("starts_at"))


def test_many_people_one_slot(world: f.World) -> None:
    slot = tuesday_slots(world)[0]
    cases = waiting_cases(world.office, world.service("paspor-biasa"), 24)
    with time_machine.travel(NOW, tick=True):
        codes = in_parallel([hold_request(case, slot.pk) for case in cases])
    assert Counter(codes) == {201: 5, 409: 19}
    assert Slot.objects.get(pk=slot.pk).booked == 5
    assert_invariants()


def test_one_person_many_slots(world: f.World) -> None:
    slots = tuesday_slots(world)
    case = waiting_cases(world.office, world.service("paspor-biasa"), 1)[0]
    with time_machine.travel(NOW, tick=True):
        codes = in_parallel([hold_request(case, slot.pk) for slot in slots for _ in range(3)])
    assert all(code in (201, 409) for code in codes), codes
    assert Booking.objects.filter(application=case, status__in=ACTIVE).count() == 1
    assert sum(Slot.objects.values_list("booked", flat=True)) == 1
    assert_invariants()


def test_holds_lapsing_while_people_confirm(world: f.World) -> None:
    slot = tuesday_slots(world)[0]
    cases = waiting_cases(world.office, world.service("paspor-biasa"), 5)
    holds = [services.booking_hold(application=c, slot_id=slot.pk, actor=c.applicant, now=NOW) for c in cases]
    moment = NOW + dt.timedelta(minutes=5)  # the very moment the holds run out

    def confirm(hold: Booking) -> Callable[[], str]:
        def run() -> str:
            try:
                return services.booking_confirm(
                    booking=hold, actor=hold.application.applicant, now=moment
                ).status
            except Exception as error:
                return getattr(error, "code", repr(error))

        return run

    results = in_parallel(
        [confirm(h) for h in holds] + [lambda: services.holds_release_lapsed(now=moment) for _ in range(3)]
    )
    assert Counter(r for r in results[:5]) == {"hold_lapsed": 5}
    assert sum(results[5:]) <= 5
    assert Booking.objects.filter(status=BookingStatus.LAPSED).count() == 5
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert_invariants()


def test_a_place_freed_and_taken_at_once(world: f.World) -> None:
    slot = tuesday_slots(world)[0]
    cases = waiting_cases(world.office, world.service("paspor-biasa"), 12)
    booked = []
    for case in cases[:5]:
        hold = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant, now=NOW)
        booked.append(services.booking_confirm(booking=hold, actor=case.applicant, now=NOW))
    cancels = [
        lambda b=b: services.booking_cancel(booking=b, actor=world.officer, now=NOW) for b in booked[:2]
    ]
    with time_machine.travel(NOW, tick=True):
        results = in_parallel(cancels + [hold_request(case, slot.pk) for case in cases[5:]])
    assert [type(r).__name__ for r in results[:2]] == ["Booking", "Booking"]
    assert Counter(results[2:])[201] <= 2
    assert_invariants()
