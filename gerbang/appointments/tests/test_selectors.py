"""What can be booked and, when not, why."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import selectors, services
from gerbang.appointments.models import Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, policy
from gerbang.catalog.models import Holiday, OfficeService

pytestmark = pytest.mark.django_db


class TestAvailability:
    def test_each_day_says_why_it_cannot_be_booked(self, world: f.World) -> None:
        policy(world.office, release_days_ahead=2, release_time=dt.time(10, 0))
        Holiday.objects.create(
            date=MONDAY + dt.timedelta(days=1), kind="national", name_id="Hari Libur", name_en="A holiday"
        )
        service = world.service("paspor-biasa")
        services.slots_ensure_shown(office=world.office, group="passport")
        days = {d.day: d for d in selectors.availability(world.office, service)}
        assert days[MONDAY].status == "open"
        assert days[MONDAY + dt.timedelta(days=1)].status == "closed"
        assert days[MONDAY + dt.timedelta(days=1)].reason == "A holiday"
        # Before 10:00 only today and tomorrow are released.
        later = days[MONDAY + dt.timedelta(days=2)]
        assert later.status == "not_released"
        assert later.release_at == dt.datetime(2026, 12, 7, 10, 0, tzinfo=NOW.tzinfo)
        assert MONDAY + dt.timedelta(days=5) not in days  # Saturday: no visiting hours

    def test_full_and_suspended_days(self, world: f.World, case: Application) -> None:
        service = world.service("paspor-biasa")
        tomorrow = MONDAY + dt.timedelta(days=1)
        services.slots_ensure(office=world.office, group="passport", until=tomorrow)
        Slot.objects.filter(day=tomorrow).update(booked=4)
        services.slots_ensure_shown(office=world.office, group="passport")
        days = {d.day: d for d in selectors.availability(world.office, service)}
        assert days[tomorrow].status == "full"
        OfficeService.objects.filter(office=world.office, service=service).update(
            is_available=False,
            unavailable_reason_en="Blank passports have run out",
            unavailable_until=tomorrow + dt.timedelta(days=2),
        )
        days = {d.day: d for d in selectors.availability(world.office, service)}
        assert days[tomorrow].status == "suspended"
        assert "run out" in days[tomorrow].reason
        assert days[tomorrow + dt.timedelta(days=2)].status == "open"

    def test_past_slots_of_today_are_not_offered(self, world: f.World) -> None:
        services.slots_ensure_shown(office=world.office, group="passport")
        today = {d.day: d for d in selectors.availability(world.office, world.service("paspor-biasa"))}[
            MONDAY
        ]
        # 09:00 now: the 08:00 slot has begun and the 09:00 one starts within the lead time.
        assert [v.bookable for v in today.slots] == [False, False, True, True]


def test_today_is_not_offered_once_its_times_are_over(world: f.World) -> None:
    with time_machine.travel(NOW.replace(hour=18), tick=False):
        services.slots_ensure_shown(office=world.office, group="passport")
        days = selectors.availability(world.office, world.service("paspor-biasa"))
    assert MONDAY not in {d.day for d in days}
