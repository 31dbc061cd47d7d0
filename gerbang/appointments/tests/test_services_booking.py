"""The booking rules: hold, confirm, lapse, cancel, reschedule, priority and same-day places,
quotas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from gerbang.applications import services as applications
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import services
from gerbang.appointments.events import BookingCancelled, BookingMade, VisitCompleted
from gerbang.appointments.models import Booking, BookingStatus, QuotaDay, ScheduleTemplate, ServiceQuota, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, book, policy, slot_on
from gerbang.core.exceptions import Conflict, PermissionDenied
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


class TestBooking:
    def test_hold_then_confirm_writes_event_and_message(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        hold = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant)
        assert hold.status == BookingStatus.HELD
        assert Slot.objects.get(pk=slot.pk).booked == 1
        booking = services.booking_confirm(booking=hold, actor=case.applicant)
        assert booking.status == BookingStatus.CONFIRMED
        assert "appointment.booked" in [e.code for e in applications_timeline(case)]
        assert OutboxMessage.objects.filter(kind="appointment.booked", recipient=case.applicant).count() == 1
        # Pressing confirm again changes nothing.
        services.booking_confirm(booking=hold, actor=case.applicant)
        assert OutboxMessage.objects.filter(kind="appointment.booked").count() == 1

    def test_pressing_twice_gives_the_same_hold(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        first = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant)
        second = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant)
        assert first.pk == second.pk
        assert Slot.objects.get(pk=slot.pk).booked == 1

    def test_choosing_another_time_lets_the_first_hold_go(self, world: f.World, case: Application) -> None:
        first = slot_on(world, MONDAY + dt.timedelta(days=1))
        second = slot_on(world, MONDAY + dt.timedelta(days=1), hour=10)
        services.booking_hold(application=case, slot_id=first.pk, actor=case.applicant)
        services.booking_hold(application=case, slot_id=second.pk, actor=case.applicant)
        assert (Slot.objects.get(pk=first.pk).booked, Slot.objects.get(pk=second.pk).booked) == (0, 1)
        assert Booking.objects.filter(application=case, status="held").count() == 1

    def test_one_booking_per_case(self, world: f.World, case: Application) -> None:
        book(case, slot_on(world, MONDAY + dt.timedelta(days=1)))
        with pytest.raises(Conflict) as error:
            services.booking_hold(
                application=case,
                slot_id=slot_on(world, MONDAY + dt.timedelta(days=2)).pk,
                actor=case.applicant,
            )
        assert error.value.code == "already_booked"

    def test_a_full_slot_refuses_without_changing_anything(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        Slot.objects.filter(pk=slot.pk).update(booked=4)
        with pytest.raises(Conflict) as error:
            services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant)
        assert error.value.code == "slot_full"
        assert not Booking.objects.exists()

    def test_only_the_applicant_or_the_office_books(self, world: f.World, case: Application) -> None:
        stranger = f.UserFactory.create()
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        with pytest.raises(PermissionDenied):
            services.booking_hold(application=case, slot_id=slot.pk, actor=stranger)
        assert services.booking_hold(application=case, slot_id=slot.pk, actor=world.officer).status == "held"

    def test_a_case_that_needs_no_visit_cannot_book(self, world: f.World) -> None:
        application = f.paid(world)
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        with pytest.raises(Conflict) as error:
            services.booking_hold(application=application, slot_id=slot.pk, actor=application.applicant)
        assert error.value.code == "no_visit_needed"

    def test_an_unconfirmed_hold_lapses_by_itself(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        hold = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant)
        with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
            assert services.holds_release_lapsed() == 1
            with pytest.raises(Conflict) as error:
                services.booking_confirm(booking=hold, actor=case.applicant)
        assert error.value.code == "hold_lapsed"
        assert Slot.objects.get(pk=slot.pk).booked == 0
        assert Booking.objects.get(pk=hold.pk).status == BookingStatus.LAPSED

    def test_confirming_after_the_hold_ran_out_releases_it(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        hold = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant)
        with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False), pytest.raises(Conflict):
            services.booking_confirm(booking=hold, actor=case.applicant)
        assert Slot.objects.get(pk=slot.pk).booked == 0

    def test_cancel_frees_the_place_at_once(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=2))
        booking = book(case, slot)
        services.booking_cancel(booking=booking, actor=case.applicant)
        assert Slot.objects.get(pk=slot.pk).booked == 0
        # The case may book again.
        assert book(case, slot).status == BookingStatus.CONFIRMED

    def test_changes_end_at_the_cutoff(self, world: f.World, case: Application) -> None:
        policy(world.office, change_cutoff_hours=24)
        booking = book(case, slot_on(world, MONDAY + dt.timedelta(days=1)))
        with pytest.raises(Conflict) as error:
            services.booking_cancel(booking=booking, actor=case.applicant)
        assert error.value.code == "past_cutoff"
        # The office itself still can.
        services.booking_cancel(booking=booking, actor=world.officer)

    def test_reschedule_moves_the_place_and_counts(self, world: f.World, case: Application) -> None:
        policy(world.office, max_reschedules=1)
        first = slot_on(world, MONDAY + dt.timedelta(days=2))
        second = slot_on(world, MONDAY + dt.timedelta(days=3))
        third = slot_on(world, MONDAY + dt.timedelta(days=4))
        booking = book(case, first)
        booking = services.booking_reschedule(booking=booking, slot_id=second.pk, actor=case.applicant)
        assert booking.slot_id == second.pk and booking.reschedules == 1
        assert (Slot.objects.get(pk=first.pk).booked, Slot.objects.get(pk=second.pk).booked) == (0, 1)
        with pytest.raises(Conflict) as error:
            services.booking_reschedule(booking=booking, slot_id=third.pk, actor=case.applicant)
        assert error.value.code == "too_many_reschedules"
        keys = OutboxMessage.objects.filter(kind="appointment.booked").values_list("dedup_key", flat=True)
        assert len(set(keys)) == 2

    def test_reschedule_to_a_full_slot_keeps_the_old_booking(self, world: f.World, case: Application) -> None:
        first = slot_on(world, MONDAY + dt.timedelta(days=2))
        full = slot_on(world, MONDAY + dt.timedelta(days=3))
        Slot.objects.filter(pk=full.pk).update(booked=4)
        booking = book(case, first)
        with pytest.raises(Conflict):
            services.booking_reschedule(booking=booking, slot_id=full.pk, actor=case.applicant)
        assert Booking.objects.get(pk=booking.pk).slot_id == first.pk
        assert Slot.objects.get(pk=first.pk).booked == 1


class TestShares:
    def test_priority_places_are_kept_for_priority_visitors(self, world: f.World) -> None:
        ScheduleTemplate.objects.filter(office=world.office).update(capacity=2, priority_share=50)
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        first, second, third = (f.awaiting_appointment(world) for _ in range(3))
        book(first, slot)
        with pytest.raises(Conflict):
            book(second, slot)
        assert book(second, slot, priority_reason="elderly").priority
        with pytest.raises(Conflict):
            book(third, slot, priority_reason="pregnant")

    def test_same_day_places_open_on_the_day(self, world: f.World) -> None:
        ScheduleTemplate.objects.filter(office=world.office).update(capacity=2, same_day_share=50)
        today = slot_on(world, MONDAY, hour=11)
        tomorrow = slot_on(world, MONDAY + dt.timedelta(days=1))
        cases = [f.awaiting_appointment(world) for _ in range(3)]
        book(cases[0], tomorrow)
        with pytest.raises(Conflict):
            book(cases[1], tomorrow)
        book(cases[1], today)
        book(cases[2], today)
        assert Slot.objects.get(pk=today.pk).booked == 2

    def test_daily_quota_per_service(self, world: f.World) -> None:
        service = world.service("paspor-biasa")
        ServiceQuota.objects.create(office=world.office, service=service, daily_limit=1)
        day = MONDAY + dt.timedelta(days=1)
        slot = slot_on(world, day)
        other = slot_on(world, day, hour=10)
        first, second = f.awaiting_appointment(world), f.awaiting_appointment(world)
        book(first, slot)
        with pytest.raises(Conflict) as error:
            book(second, other)
        assert "quota" in str(error.value.message)
        assert QuotaDay.objects.get(day=day).booked == 1
        assert Slot.objects.get(pk=other.pk).booked == 0


def applications_timeline(case: Application) -> list[Any]:
    from gerbang.applications.selectors import timeline

    return timeline(Application.objects.get(pk=case.pk))


class TestPublished:
    """What booking tells the other apps (``appointments.events``)."""

    def test_a_booking_made_moved_and_cancelled_is_published_once_each(
        self, world: f.World, case: Application, published: Any
    ) -> None:
        made = published(BookingMade)
        cancelled = published(BookingCancelled)
        first = slot_on(world, MONDAY + dt.timedelta(days=2))
        second = slot_on(world, MONDAY + dt.timedelta(days=3))
        hold = services.booking_hold(application=case, slot_id=first.pk, actor=case.applicant)
        booking = services.booking_confirm(booking=hold, actor=case.applicant)
        services.booking_confirm(booking=hold, actor=case.applicant)  # pressed twice
        booking = services.booking_reschedule(booking=booking, slot_id=second.pk, actor=case.applicant)
        assert [(e.booking.pk, e.previous_start) for e in made] == [
            (booking.pk, None),
            (booking.pk, first.starts_at),
        ]
        assert cancelled == []
        services.booking_cancel(booking=booking, actor=case.applicant)
        assert [(e.booking.pk, e.actor) for e in cancelled] == [(booking.pk, case.applicant)]

    def test_a_hold_let_go_is_no_cancelled_booking(
        self, world: f.World, case: Application, published: Any
    ) -> None:
        cancelled = published(BookingCancelled)
        hold = services.booking_hold(
            application=case, slot_id=slot_on(world, MONDAY + dt.timedelta(days=2)).pk, actor=case.applicant
        )
        services.booking_cancel(booking=hold, actor=case.applicant)
        assert cancelled == []

    def test_a_visit_recorded_on_the_case_is_a_visit_completed(
        self, world: f.World, case: Application, published: Any
    ) -> None:
        completed = published(VisitCompleted)
        booking = book(case, slot_on(world, MONDAY + dt.timedelta(days=1)))
        with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
            applications.application_transition(
                application=case,
                action="complete_interview",
                actor=world.officer,
                expected_version=Application.objects.get(pk=case.pk).version,
            )
        assert [e.booking.pk for e in completed] == [booking.pk]
        assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DONE
