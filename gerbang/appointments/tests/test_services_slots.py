"""Slots from visiting hours: made ahead, idempotent, within opening hours, with their shares."""

from __future__ import annotations

import datetime as dt

import pytest

from gerbang.applications.tests import factories as f
from gerbang.appointments import services
from gerbang.appointments.models import GeneratedDay, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, policy, weekday_hours
from gerbang.catalog.models import Holiday
from gerbang.core.actors import SystemActor

pytestmark = pytest.mark.django_db


class TestSlots:
    def test_generated_from_visiting_hours_skipping_weekends_and_holidays(self, world: f.World) -> None:
        Holiday.objects.create(date=MONDAY + dt.timedelta(days=2), kind="national", name_id="Libur")
        services.slots_ensure(office=world.office, group="passport", until=MONDAY + dt.timedelta(days=6))
        days = sorted(set(Slot.objects.values_list("day", flat=True)))
        assert days == [
            MONDAY,
            MONDAY + dt.timedelta(days=1),
            MONDAY + dt.timedelta(days=3),
            MONDAY + dt.timedelta(days=4),
        ]
        monday = Slot.objects.filter(day=MONDAY).order_by("starts_at")
        # 08:00-12:00 in hours: four slots, 08:00 WIB is 01:00 UTC.
        assert [s.starts_at.astimezone(dt.UTC).hour for s in monday] == [1, 2, 3, 4]
        assert {s.capacity for s in monday} == {4}

    def test_generation_is_idempotent_and_remembers_empty_days(self, world: f.World) -> None:
        until = MONDAY + dt.timedelta(days=6)
        made = services.slots_ensure(office=world.office, group="passport", until=until)
        assert made == 5 * 4
        assert services.slots_ensure(office=world.office, group="passport", until=until) == 0
        assert GeneratedDay.objects.count() == 7

    def test_periodic_batch_covers_the_release_window_and_a_margin(self, world: f.World) -> None:
        policy(world.office, release_days_ahead=3)
        services.slots_generate_ahead()
        last = Slot.objects.order_by("-day").first()
        assert last is not None
        # Released at 08:00: Thursday is the last bookable day, and a week beyond it is made.
        assert last.day == MONDAY + dt.timedelta(days=3 + services.GENERATION_MARGIN_DAYS)

    def test_shares_are_kept_within_capacity(self, world: f.World) -> None:
        weekday_hours(world.office, "visa", capacity=10, priority_share=20, same_day_share=30)
        slot = slot_on_group(world, "visa")
        assert (slot.reserved_priority, slot.reserved_same_day) == (2, 3)
        assert slot.free_for(priority=False, same_day=False) == 5
        assert slot.free_for(priority=True, same_day=False) == 7
        assert slot.free_for(priority=False, same_day=True) == 10


def slot_on_group(world: f.World, group: str) -> Slot:
    day = MONDAY + dt.timedelta(days=1)
    services.slots_ensure(office=world.office, group=group, until=day)
    return Slot.objects.filter(office=world.office, group=group, day=day).order_by("starts_at").first()  # type: ignore[return-value]


class TestOfficeChanges:
    def test_no_slot_is_made_in_a_break_or_outside_opening_hours(self, world: f.World) -> None:
        # Friday: open 08:00-10:00 and 11:00-16:00; visiting hours (made earlier) 08:00-12:00.
        from gerbang.catalog.services import opening_hours_set

        friday = MONDAY + dt.timedelta(days=4)
        opening_hours_set(
            actor=SystemActor("tests"),
            office=world.office,
            periods=[(d, dt.time(8), dt.time(16)) for d in range(4)]
            + [(4, dt.time(8), dt.time(10)), (4, dt.time(11), dt.time(16))],
        )
        services.slots_ensure(office=world.office, group="passport", until=friday)
        hours = [s.starts_at.astimezone(NOW.tzinfo).hour for s in Slot.objects.filter(day=friday)]
        assert sorted(hours) == [8, 9, 11]
