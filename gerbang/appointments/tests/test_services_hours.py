"""Opening hours and visiting hours, and the bookings they no longer hold."""

from __future__ import annotations

import datetime as dt

import pytest

from gerbang.applications.tests import factories as f
from gerbang.appointments import services
from gerbang.appointments.models import Booking, BookingStatus, ScheduleTemplate, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, book, slot_on
from gerbang.core.actors import SystemActor
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


class TestOfficeChanges:
    def test_visiting_hours_must_lie_within_opening_hours(self, world: f.World) -> None:
        from gerbang.catalog.services import opening_hours_set
        from gerbang.core.exceptions import ValidationError

        admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
        opening_hours_set(
            actor=SystemActor("tests"),
            office=world.office,
            periods=[(d, dt.time(8), dt.time(16)) for d in range(4)]
            + [(4, dt.time(8), dt.time(11, 30)), (4, dt.time(13), dt.time(16))],
        )
        with pytest.raises(ValidationError) as error:
            services.schedule_block_add(
                office=world.office,
                group="visa",
                weekdays=[3, 4],
                starts=dt.time(8),
                ends=dt.time(12),
                slot_minutes=30,
                capacity=2,
                actor=admin,
            )
        assert "Friday" in str(error.value.message) and "08:00\u201311:30, 13:00\u201316:00" in str(
            error.value.message
        )
        with pytest.raises(ValidationError, match="closed all day"):
            services.schedule_block_add(
                office=world.office,
                group="visa",
                weekdays=[5],
                starts=dt.time(8),
                ends=dt.time(9),
                slot_minutes=30,
                capacity=2,
                actor=admin,
            )
        assert not ScheduleTemplate.objects.filter(group="visa").exists()
        services.schedule_block_add(
            office=world.office,
            group="visa",
            weekdays=[4],
            starts=dt.time(8),
            ends=dt.time(11, 30),
            slot_minutes=30,
            capacity=2,
            actor=admin,
        )

    def test_shorter_opening_hours_cut_visiting_hours_and_move_bookings_out(self, world: f.World) -> None:
        admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
        wednesday = MONDAY + dt.timedelta(days=2)
        late, early = f.awaiting_appointment(world), f.awaiting_appointment(world)
        book(late, slot_on(world, wednesday, hour=11))
        book(early, slot_on(world, wednesday, hour=8))
        # Wednesday gets a break from 10:00 to 13:00; the other days close at 10:00.
        outcome = services.office_hours_set(
            office=world.office,
            periods=[(d, dt.time(8), dt.time(10)) for d in (0, 1, 3, 4)]
            + [(2, dt.time(8), dt.time(10)), (2, dt.time(13), dt.time(16))],
            actor=admin,
        )
        assert (outcome.trimmed, outcome.removed, outcome.moved, outcome.cancelled) == (5, 0, 1, 0)
        assert set(ScheduleTemplate.objects.values_list("starts", "ends")) == {(dt.time(8), dt.time(10))}
        moved = Booking.objects.get(application=late)
        assert moved.status == BookingStatus.CONFIRMED
        assert moved.slot.starts_at.astimezone(NOW.tzinfo).hour in (8, 9)
        assert Booking.objects.get(application=early).slot.day == wednesday
        still_open = Slot.objects.filter(day=wednesday, closed=False)
        assert sorted(s.starts_at.astimezone(NOW.tzinfo).hour for s in still_open) == [8, 9]
        message = OutboxMessage.objects.get(kind="appointment.moved")
        assert message.context["reason_en"] == "The office's opening hours changed"
        assert message.recipient_id == late.applicant_id
