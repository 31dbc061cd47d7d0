"""Slots from visiting hours, what can be booked and why not, and the booking rules: hold,
confirm, lapse, cancel, reschedule, priority and same-day places, quotas, closures."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest
import time_machine

from gerbang.applications import services as applications
from gerbang.applications.models import Application
from gerbang.applications.numbers import ALPHABET
from gerbang.applications.tests import factories as f
from gerbang.appointments import selectors, services, tokens
from gerbang.appointments.models import (
    Booking,
    BookingStatus,
    GeneratedDay,
    QuotaDay,
    ScheduleTemplate,
    ServiceQuota,
    Slot,
)
from gerbang.appointments.tests.factories import MONDAY, NOW, policy, weekday_hours
from gerbang.catalog.models import Holiday, OfficeService
from gerbang.core.exceptions import Conflict, PermissionDenied
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def slot_on(world: f.World, day: dt.date, hour: int = 8) -> Slot:
    services.slots_ensure(office=world.office, group="passport", until=day)
    return Slot.objects.get(
        office=world.office,
        group="passport",
        starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=NOW.tzinfo),
    )


def book(case: Application, slot: Slot, **kwargs: Any) -> Booking:
    hold = services.booking_hold(application=case, slot_id=slot.pk, user=case.applicant, **kwargs)
    return services.booking_confirm(booking=hold, user=case.applicant)


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


class TestBooking:
    def test_hold_then_confirm_writes_event_and_message(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        hold = services.booking_hold(application=case, slot_id=slot.pk, user=case.applicant)
        assert hold.status == BookingStatus.HELD
        assert Slot.objects.get(pk=slot.pk).booked == 1
        booking = services.booking_confirm(booking=hold, user=case.applicant)
        assert booking.status == BookingStatus.CONFIRMED
        assert "appointment.booked" in [e.code for e in applications_timeline(case)]
        assert OutboxMessage.objects.filter(kind="appointment.booked", recipient=case.applicant).count() == 1
        # Pressing confirm again changes nothing.
        services.booking_confirm(booking=hold, user=case.applicant)
        assert OutboxMessage.objects.filter(kind="appointment.booked").count() == 1

    def test_pressing_twice_gives_the_same_hold(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        first = services.booking_hold(application=case, slot_id=slot.pk, user=case.applicant)
        second = services.booking_hold(application=case, slot_id=slot.pk, user=case.applicant)
        assert first.pk == second.pk
        assert Slot.objects.get(pk=slot.pk).booked == 1

    def test_choosing_another_time_lets_the_first_hold_go(self, world: f.World, case: Application) -> None:
        first = slot_on(world, MONDAY + dt.timedelta(days=1))
        second = slot_on(world, MONDAY + dt.timedelta(days=1), hour=10)
        services.booking_hold(application=case, slot_id=first.pk, user=case.applicant)
        services.booking_hold(application=case, slot_id=second.pk, user=case.applicant)
        assert (Slot.objects.get(pk=first.pk).booked, Slot.objects.get(pk=second.pk).booked) == (0, 1)
        assert Booking.objects.filter(application=case, status="held").count() == 1

    def test_one_booking_per_case(self, world: f.World, case: Application) -> None:
        book(case, slot_on(world, MONDAY + dt.timedelta(days=1)))
        with pytest.raises(Conflict) as error:
            services.booking_hold(
                application=case,
                slot_id=slot_on(world, MONDAY + dt.timedelta(days=2)).pk,
                user=case.applicant,
            )
        assert error.value.code == "already_booked"

    def test_a_full_slot_refuses_without_changing_anything(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        Slot.objects.filter(pk=slot.pk).update(booked=4)
        with pytest.raises(Conflict) as error:
            services.booking_hold(application=case, slot_id=slot.pk, user=case.applicant)
        assert error.value.code == "slot_full"
        assert not Booking.objects.exists()

    def test_only_the_applicant_or_the_office_books(self, world: f.World, case: Application) -> None:
        stranger = f.UserFactory.create()
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        with pytest.raises(PermissionDenied):
            services.booking_hold(application=case, slot_id=slot.pk, user=stranger)
        assert services.booking_hold(application=case, slot_id=slot.pk, user=world.officer).status == "held"

    def test_a_case_that_needs_no_visit_cannot_book(self, world: f.World) -> None:
        application = f.paid(world)
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        with pytest.raises(Conflict) as error:
            services.booking_hold(application=application, slot_id=slot.pk, user=application.applicant)
        assert error.value.code == "no_visit_needed"

    def test_an_unconfirmed_hold_lapses_by_itself(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        hold = services.booking_hold(application=case, slot_id=slot.pk, user=case.applicant)
        with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
            assert services.holds_release_lapsed() == 1
            with pytest.raises(Conflict) as error:
                services.booking_confirm(booking=hold, user=case.applicant)
        assert error.value.code == "hold_lapsed"
        assert Slot.objects.get(pk=slot.pk).booked == 0
        assert Booking.objects.get(pk=hold.pk).status == BookingStatus.LAPSED

    def test_confirming_after_the_hold_ran_out_releases_it(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=1))
        hold = services.booking_hold(application=case, slot_id=slot.pk, user=case.applicant)
        with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False), pytest.raises(Conflict):
            services.booking_confirm(booking=hold, user=case.applicant)
        assert Slot.objects.get(pk=slot.pk).booked == 0

    def test_cancel_frees_the_place_at_once(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=2))
        booking = book(case, slot)
        services.booking_cancel(booking=booking, user=case.applicant)
        assert Slot.objects.get(pk=slot.pk).booked == 0
        # The case may book again.
        assert book(case, slot).status == BookingStatus.CONFIRMED

    def test_changes_end_at_the_cutoff(self, world: f.World, case: Application) -> None:
        policy(world.office, change_cutoff_hours=24)
        booking = book(case, slot_on(world, MONDAY + dt.timedelta(days=1)))
        with pytest.raises(Conflict) as error:
            services.booking_cancel(booking=booking, user=case.applicant)
        assert error.value.code == "past_cutoff"
        # The office itself still can.
        services.booking_cancel(booking=booking, user=world.officer)

    def test_reschedule_moves_the_place_and_counts(self, world: f.World, case: Application) -> None:
        policy(world.office, max_reschedules=1)
        first = slot_on(world, MONDAY + dt.timedelta(days=2))
        second = slot_on(world, MONDAY + dt.timedelta(days=3))
        third = slot_on(world, MONDAY + dt.timedelta(days=4))
        booking = book(case, first)
        booking = services.booking_reschedule(booking=booking, slot_id=second.pk, user=case.applicant)
        assert booking.slot_id == second.pk and booking.reschedules == 1
        assert (Slot.objects.get(pk=first.pk).booked, Slot.objects.get(pk=second.pk).booked) == (0, 1)
        with pytest.raises(Conflict) as error:
            services.booking_reschedule(booking=booking, slot_id=third.pk, user=case.applicant)
        assert error.value.code == "too_many_reschedules"
        keys = OutboxMessage.objects.filter(kind="appointment.booked").values_list("dedup_key", flat=True)
        assert len(set(keys)) == 2

    def test_reschedule_to_a_full_slot_keeps_the_old_booking(self, world: f.World, case: Application) -> None:
        first = slot_on(world, MONDAY + dt.timedelta(days=2))
        full = slot_on(world, MONDAY + dt.timedelta(days=3))
        Slot.objects.filter(pk=full.pk).update(booked=4)
        booking = book(case, first)
        with pytest.raises(Conflict):
            services.booking_reschedule(booking=booking, slot_id=full.pk, user=case.applicant)
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


class TestOfficeChanges:
    def test_closure_moves_bookings_to_the_earliest_free_time_and_tells_them(self, world: f.World) -> None:
        admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
        day = MONDAY + dt.timedelta(days=2)
        cases = [f.awaiting_appointment(world) for _ in range(2)]
        for c in cases:
            book(c, slot_on(world, day))
        outcome = services.office_close(
            office=world.office,
            start_date=day,
            end_date=day,
            reason_id="Banjir",
            reason_en="Flood",
            actor=admin,
        )
        assert (outcome.moved, outcome.cancelled) == (2, 0)
        moved = Booking.objects.filter(status="confirmed")
        assert {b.slot.day for b in moved} == {day + dt.timedelta(days=1)}
        assert Slot.objects.filter(day=day, closed=True).count() == 4
        assert slot_on(world, day).booked == 0
        messages = OutboxMessage.objects.filter(kind="appointment.moved")
        assert messages.count() == 2
        assert messages.first().context["reason_en"] == "Flood"  # type: ignore[union-attr]

    def test_closure_can_cancel_instead(self, world: f.World, case: Application) -> None:
        admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
        day = MONDAY + dt.timedelta(days=2)
        slot = slot_on(world, day)
        book(case, slot)
        outcome = services.office_close(
            office=world.office,
            start_date=day,
            end_date=day,
            reason_id="Banjir",
            move_bookings=False,
            actor=admin,
        )
        assert (outcome.moved, outcome.cancelled) == (0, 1)
        assert Slot.objects.get(pk=slot.pk).booked == 0
        assert OutboxMessage.objects.filter(kind="appointment.cancelled_by_office").count() == 1
        # Reopening makes the day bookable again.
        services.office_reopen(closure=outcome.closure, actor=admin)
        assert not Slot.objects.filter(day=day, closed=True).exists()

    def test_no_slot_is_made_in_a_break_or_outside_opening_hours(self, world: f.World) -> None:
        # Friday: open 08:00-10:00 and 11:00-16:00; visiting hours (made earlier) 08:00-12:00.
        from gerbang.catalog.services import opening_hours_set

        friday = MONDAY + dt.timedelta(days=4)
        opening_hours_set(
            office=world.office,
            periods=[(d, dt.time(8), dt.time(16)) for d in range(4)]
            + [(4, dt.time(8), dt.time(10)), (4, dt.time(11), dt.time(16))],
        )
        services.slots_ensure(office=world.office, group="passport", until=friday)
        hours = [s.starts_at.astimezone(NOW.tzinfo).hour for s in Slot.objects.filter(day=friday)]
        assert sorted(hours) == [8, 9, 11]

    def test_visiting_hours_must_lie_within_opening_hours(self, world: f.World) -> None:
        from gerbang.catalog.services import opening_hours_set
        from gerbang.core.exceptions import ValidationError

        admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
        opening_hours_set(
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

    def test_an_emergency_notice_that_stops_passports_stops_them_everywhere(
        self, world: f.World, client: Any
    ) -> None:
        from gerbang.catalog import selectors as catalog
        from gerbang.catalog.models import OfficeService
        from gerbang.content import services as content
        from gerbang.core.exceptions import ValidationError

        admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
        wednesday, friday = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)
        case = f.awaiting_appointment(world)
        book(case, slot_on(world, wednesday, hour=9))
        slot_on(world, friday)
        until = dt.datetime.combine(MONDAY + dt.timedelta(days=3), dt.time(23, 59), tzinfo=NOW.tzinfo)
        data = {
            "office": world.office,
            "level": "emergency",
            "title_id": "Layanan paspor dihentikan: banjir",
            "title_en": "Passport services stopped: flooding",
            "body_id": "Banjir.",
            "body_en": "Flooding.",
            "starts_at": NOW,
            "ends_at": until,
            "suspends": ["passport"],
        }
        draft = f.draft(world, applicant=world.applicant)  # started before the notice
        notice = content.announcement_save(actor=admin, announcement=None, data=data, publish=True)
        assert notice.notified_bookings == 1

        link = OfficeService.objects.get(office=world.office, service=world.service("paspor-biasa"))
        assert not link.offered_now and link.why_not == "Passport services stopped: flooding"
        assert OfficeService.objects.get(
            office=world.office, service=world.service("visa-kunjungan")
        ).offered_now
        assert world.office not in catalog.offices_offering_now(world.service("paspor-biasa"))
        with pytest.raises(ValidationError, match="Passport services stopped: flooding"):
            applications.application_start(
                applicant=world.applicant,
                service=world.service("paspor-biasa"),
                office=world.office,
                for_child=False,
            )
        page = client.get("/services/paspor-biasa/").content.decode()
        assert "Passport services stopped: flooding. Expected back by" in page  # a sentence each
        assert f"?office={world.office.pk}" not in page  # no "apply at this office"
        client.force_login(world.applicant)
        start = client.get("/applications/new/paspor-biasa/").content.decode()
        assert f'<option value="{world.office.pk}"' not in start
        assert "Passport services stopped: flooding" in start
        draft_page = client.get(f"/applications/{draft.pk}/").content.decode()
        assert "Passport services stopped: flooding." in draft_page and "Your draft is kept" in draft_page
        # The booking inside the window moved to the first free time after it, and was told.
        moved = Booking.objects.get(application=case)
        assert moved.status == BookingStatus.CONFIRMED and moved.slot.day == friday
        assert OutboxMessage.objects.get(kind="appointment.moved").context["reason_en"] == notice.title_en
        services.slots_ensure_shown(office=world.office, group="passport")
        days = {d.day: d for d in selectors.availability(world.office, world.service("paspor-biasa"))}
        assert days[wednesday].status == "suspended"

        # When the notice ends the services come back by themselves.
        with time_machine.travel(until + dt.timedelta(minutes=1), tick=False):
            assert OfficeService.objects.get(pk=link.pk).offered_now
            assert world.office in catalog.offices_offering_now(world.service("paspor-biasa"))

        # Withdrawn early (back to a draft), it lifts at once and its closed times reopen.
        content.announcement_save(actor=admin, announcement=notice, data=data, publish=False)
        assert OfficeService.objects.get(pk=link.pk).offered_now
        assert not Slot.objects.filter(day=wednesday, closed=True).exists()

    def test_an_officer_cannot_close_the_office(self, world: f.World) -> None:
        with pytest.raises(PermissionDenied):
            services.office_close(
                office=world.office, start_date=MONDAY, end_date=MONDAY, reason_id="x", actor=world.officer
            )

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


class TestReminders:
    def test_a_day_and_two_hours_before_each_once(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=3))
        book(case, slot)
        assert services.reminders_send() == 0
        with time_machine.travel(slot.starts_at - dt.timedelta(hours=23), tick=False):
            assert services.reminders_send() == 1
            assert services.reminders_send() == 0
        with time_machine.travel(slot.starts_at - dt.timedelta(hours=1), tick=False):
            assert services.reminders_send() == 1
        assert OutboxMessage.objects.filter(kind="appointment.reminder").count() == 2

    def test_emergency_notice_reaches_everyone_booked(self, world: f.World, case: Application) -> None:
        from gerbang.content.services import announcement_create

        book(case, slot_on(world, MONDAY + dt.timedelta(days=3)))
        notice = announcement_create(
            title_id="Kantor tutup", body_id="Banjir", level="emergency", office=world.office
        )
        assert services.notice_notify_bookings(notice=notice) == 1
        assert services.notice_notify_bookings(notice=notice) == 1
        assert OutboxMessage.objects.filter(kind="appointment.office_notice").count() == 1


def applications_timeline(case: Application) -> list[Any]:
    from gerbang.applications.selectors import timeline

    return timeline(Application.objects.get(pk=case.pk))


def test_today_is_not_offered_once_its_times_are_over(world: f.World) -> None:
    with time_machine.travel(NOW.replace(hour=18), tick=False):
        services.slots_ensure_shown(office=world.office, group="passport")
        days = selectors.availability(world.office, world.service("paspor-biasa"))
    assert MONDAY not in {d.day for d in days}


def test_booking_codes_are_random_typable_and_checked() -> None:
    codes = [tokens.new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-.", code) for code in codes)
    assert all(tokens.normalize_code(code.lower().replace("-", " ")) == code for code in codes[:50])
    # Every character of the alphabet, about equally often (16,000 draws: ~500 each).
    drawn = Counter(char for code in codes for char in code[:9] if char != "-")
    assert set(drawn) == set(ALPHABET)
    assert min(drawn.values()) > 350 and max(drawn.values()) < 650
    # One character typed wrong is caught by the check character.
    code = codes[0]
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    assert tokens.normalize_code(wrong) is None
