"""A case moving on ends its booking, and an interview completes its visit (``places``)."""

from __future__ import annotations

import datetime as dt

import pytest

from gerbang.applications import services as applications
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments.models import Booking, BookingStatus, Slot
from gerbang.appointments.tests.factories import MONDAY, book, slot_on

pytestmark = pytest.mark.django_db


class TestOfficeChanges:
    def test_a_case_moving_on_ends_its_booking(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=2))
        book(case, slot)
        current = Application.objects.get(pk=case.pk)
        applications.application_transition(
            application=current,
            action="reject",
            actor=world.officer,
            expected_version=current.version,
            reason="x",
            reason_code="other",
        )
        assert Booking.objects.get(application=case).status == BookingStatus.CANCELLED
        assert Slot.objects.get(pk=slot.pk).booked == 0

    def test_an_interview_recorded_before_its_booked_time_completes_the_visit(
        self, world: f.World, case: Application
    ) -> None:
        # Booked for 11:00 today; the officer records the interview at 09:00 (NOW).
        slot = slot_on(world, MONDAY, hour=11)
        book(case, slot)
        current = Application.objects.get(pk=case.pk)
        applications.application_transition(
            application=current,
            action="complete_interview",
            actor=world.officer,
            expected_version=current.version,
        )
        booking = Booking.objects.get(application=case)
        assert booking.status == BookingStatus.DONE
        assert booking.get_status_display() == "Visit done"
        assert Slot.objects.get(pk=slot.pk).booked == 1  # the place was used, not given back

    def test_an_interview_is_not_recorded_days_before_its_appointment(
        self, world: f.World, case: Application
    ) -> None:
        from gerbang.core.exceptions import ValidationError

        book(case, slot_on(world, MONDAY + dt.timedelta(days=2)))
        current = Application.objects.get(pk=case.pk)
        with pytest.raises(
            ValidationError, match="appointment for this visit is on Wednesday, 9 December 2026"
        ):
            applications.application_transition(
                application=current,
                action="complete_interview",
                actor=world.officer,
                expected_version=current.version,
            )
        assert Booking.objects.get(application=case).status == BookingStatus.CONFIRMED
