"""An office with lanes and counters, visitors booked for today, and walk-in tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import services as booking
from gerbang.appointments.models import Booking, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, waiting_cases
from gerbang.catalog.models import Office
from gerbang.queueing import services
from gerbang.queueing.models import Counter, Lane, Ticket


@dataclass
class Floor:
    passports: Lane
    visas: Lane
    pickup: Lane
    counters: list[Counter]


def floor(office: Office, *, counters: int = 2) -> Floor:
    """Lane A for passport interviews, B for visas and stay permits, C for collecting documents;
    every counter serves A and C, the last one B too."""
    passports = Lane.objects.create(
        office=office, letter="A", name_id="Paspor", name_en="Passports", group="passport"
    )
    visas = Lane.objects.create(office=office, letter="B", name_id="Visa", name_en="Visas", group="visa")
    pickup = Lane.objects.create(
        office=office, letter="C", name_id="Pengambilan", name_en="Collection", purpose="pickup"
    )
    made = []
    for number in range(1, counters + 1):
        counter = Counter.objects.create(office=office, number=number)
        counter.lanes.set([passports, pickup, *([visas] if number == counters else [])])
        made.append(counter)
    return Floor(passports, visas, pickup, made)


def today_slot(office: Office, hour: int) -> Slot:
    booking.slots_ensure(office=office, group="passport", until=MONDAY, now=NOW)
    starts = dt.datetime.combine(MONDAY, dt.time(hour), tzinfo=NOW.tzinfo)
    return Slot.objects.get(office=office, group="passport", starts_at=starts)


def booked(case: Application, hour: int = 10, *, priority_reason: str = "") -> Booking:
    """A confirmed booking of today at ``hour`` o'clock (booked at 08:00, before the slots pass)."""
    slot = today_slot(case.office, hour)
    at = dt.datetime.combine(MONDAY, dt.time(8), tzinfo=NOW.tzinfo)
    hold = booking.booking_hold(
        application=case, slot_id=slot.pk, actor=case.applicant, priority_reason=priority_reason, now=at
    )
    return booking.booking_confirm(booking=hold, actor=case.applicant, now=at)


def visitors(world: f.World, count: int, hour: int = 10) -> list[Booking]:
    return [booked(case, hour) for case in waiting_cases(world.office, world.service("paspor-biasa"), count)]


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY, dt.time(hour, minute), tzinfo=NOW.tzinfo)


def opened(counter: Counter, officer: Any) -> Counter:
    from gerbang.queueing import services

    return services.counter_open(counter=counter, actor=officer)


def walk_ins(floor: Floor, officer: User, count: int, *, priority: str = "") -> list[Ticket]:
    return [
        services.walk_in_issue(
            office=floor.passports.office, lane=floor.passports, actor=officer, priority_reason=priority
        )
        for _ in range(count)
    ]
