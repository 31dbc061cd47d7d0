"""The office closes or stops services: bookings are moved or cancelled and told; notices reach
them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from gerbang.applications import services as applications
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import selectors, services
from gerbang.appointments.models import Booking, BookingStatus, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, book, slot_on
from gerbang.catalog.models import OfficeService
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import PermissionDenied
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


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

    def test_an_emergency_notice_that_stops_passports_stops_them_everywhere(
        self, world: f.World, client: Any
    ) -> None:
        from gerbang.catalog import selectors as catalog
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


class TestReminders:
    def test_emergency_notice_reaches_everyone_booked(self, world: f.World, case: Application) -> None:
        from gerbang.content.services import announcement_create

        book(case, slot_on(world, MONDAY + dt.timedelta(days=3)))
        notice = announcement_create(
            actor=SystemActor("tests"),
            title_id="Kantor tutup",
            body_id="Banjir",
            level="emergency",
            office=world.office,
        )
        assert services.notice_notify_bookings(notice=notice) == 1
        assert services.notice_notify_bookings(notice=notice) == 1
        assert OutboxMessage.objects.filter(kind="appointment.office_notice").count() == 1
