"""Appointments react to content's notices through its events, in the notice's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import subscribers
from gerbang.appointments.models import Booking, BookingStatus, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW, book, slot_on
from gerbang.catalog.models import OfficeService
from gerbang.content import services as content
from gerbang.content.events import NoticePublished, NoticeWithdrawn
from gerbang.core.events import When
from gerbang.core.events import subscribers as subscribers_of
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _notice(world: f.World, **changes: object) -> dict[str, object]:
    return {
        "office": world.office,
        "level": "emergency",
        "title_id": "Layanan paspor dihentikan: banjir",
        "title_en": "Passport services stopped: flooding",
        "body_id": "Banjir.",
        "body_en": "Flooding.",
        "starts_at": NOW,
        "ends_at": dt.datetime.combine(MONDAY + dt.timedelta(days=3), dt.time(23, 59), tzinfo=NOW.tzinfo),
        "suspends": ["passport"],
        **changes,
    }


def test_appointments_subscribe_to_notices_in_the_transaction() -> None:
    for event_type, handler in [
        (NoticePublished, subscribers.notice_published),
        (NoticeWithdrawn, subscribers.notice_withdrawn),
    ]:
        mine = [s for s in subscribers_of(event_type) if s.handler is handler]
        assert len(mine) == 1 and mine[0].when is When.IN_TRANSACTION


def test_a_published_notice_that_stops_services_moves_the_bookings_and_says_how_many(
    world: f.World, case: Application
) -> None:
    admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
    book(case, slot_on(world, MONDAY + dt.timedelta(days=2), hour=9))
    slot_on(world, MONDAY + dt.timedelta(days=4))
    notice = content.announcement_save(actor=admin, announcement=None, data=_notice(world), publish=True)
    assert notice.notified_bookings == 1
    assert Booking.objects.get(application=case).slot.day == MONDAY + dt.timedelta(days=4)
    link = OfficeService.objects.get(office=world.office, service=world.service("paspor-biasa"))
    assert link.suspended_by == f"announcement:{notice.pk}"

    content.announcement_save(actor=admin, announcement=notice, data=_notice(world), publish=False)
    assert OfficeService.objects.get(pk=link.pk).suspended_by == ""


def test_a_notice_sent_to_everyone_booked_counts_them(world: f.World, case: Application) -> None:
    admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
    book(case, slot_on(world, MONDAY + dt.timedelta(days=2)))
    data = _notice(world, suspends=[], notify_bookings=True)
    notice = content.announcement_save(actor=admin, announcement=None, data=data, publish=True)
    assert notice.notified_bookings == 1
    assert OutboxMessage.objects.filter(kind="appointment.office_notice").count() == 1
    assert Booking.objects.get(application=case).status == BookingStatus.CONFIRMED


def test_a_notice_that_fails_stops_nothing(world: f.World) -> None:
    """The services stop in the notice's transaction: when it rolls back, so do they."""
    admin = f.staff(f.Role.OFFICE_ADMIN, [world.office])
    slot = slot_on(world, MONDAY + dt.timedelta(days=2))
    with pytest.raises(RuntimeError), transaction.atomic():
        content.announcement_save(actor=admin, announcement=None, data=_notice(world), publish=True)
        assert Slot.objects.get(pk=slot.pk).closed
        raise RuntimeError("the notice's transaction fails")
    assert not Slot.objects.get(pk=slot.pk).closed
    assert not OfficeService.objects.exclude(suspended_by="").exists()
