"""Missed appointments: booked, and the time passed without a check-in; the list and the counts the
supervisors' dashboards link to."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import selectors
from gerbang.appointments.models import Booking, BookingStatus, Slot
from gerbang.appointments.tests.factories import waiting_cases

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=WIB)
_codes = itertools.count(1)


def book(case: Application, starts: dt.datetime, status: str = BookingStatus.CONFIRMED) -> Booking:
    slot, _made = Slot.objects.get_or_create(
        office=case.office,
        group="passport",
        starts_at=starts,
        defaults={"day": starts.date(), "ends_at": starts + dt.timedelta(minutes=30), "capacity": 6},
    )
    return Booking.objects.create(
        application=case,
        slot=slot,
        service=case.service,
        code=f"M{next(_codes):07d}",
        purpose="interview",
        status=status,
    )


@pytest.fixture
def world() -> f.World:
    with time_machine.travel(NOW, tick=False):
        world = f.make_world()
        cases = waiting_cases(world.office, world.service("paspor-biasa"), 6)
        book(cases[0], dt.datetime(2026, 12, 8, 9, 0, tzinfo=WIB))  # missed yesterday
        book(cases[1], dt.datetime(2026, 12, 9, 8, 0, tzinfo=WIB))  # missed this morning
        book(cases[2], dt.datetime(2026, 12, 9, 11, 0, tzinfo=WIB))  # still to come
        book(cases[3], dt.datetime(2026, 12, 8, 10, 0, tzinfo=WIB), BookingStatus.DONE)
        book(cases[4], dt.datetime(2026, 12, 9, 9, 0, tzinfo=WIB), BookingStatus.CHECKED_IN)
        book(cases[5], dt.datetime(2026, 12, 1, 9, 0, tzinfo=WIB))  # missed last week
        return world


def test_missed_and_due_counts(world: f.World) -> None:
    with time_machine.travel(NOW, tick=False):
        counts = selectors.missed_counts(
            world.supervisor, [world.office.pk], first=dt.date(2026, 12, 3), last=dt.date(2026, 12, 9)
        )
        assert counts == {world.office.pk: selectors.MissedCount(due=4, missed=2)}
        assert (
            selectors.missed_counts(
                staff(Role.SUPERVISOR, [world.other_office]),
                [world.office.pk],
                first=dt.date(2026, 12, 1),
                last=dt.date(2026, 12, 9),
            )
            == {}
        )


def test_the_list_of_missed_appointments(world: f.World) -> None:
    with time_machine.travel(NOW, tick=False):
        client = Client()
        client.cookies["django_language"] = "en"
        sign_in_with_2fa(client, world.supervisor)
        url = reverse("backoffice:missed_appointments")
        page = client.get(url, {"office": "mesuji"}).content.decode()
        assert "2 appointments missed from 3 December 2026 to 9 December 2026." in page
        month = client.get(
            url, {"office": "mesuji", "first": "2026-11-10", "last": "2026-12-09"}
        ).content.decode()
        assert "3 appointments missed" in month
        assert client.get(url, {"office": "makassar"}).status_code == 404  # not their office
        wrong = client.get(url, {"office": "mesuji", "first": "9-12-2026", "last": "2026-12-01"})
        assert wrong.status_code == 400
        assert "Enter the first day as a date, e.g. 2026-12-01." in wrong.content.decode()
        assert 'value="9-12-2026"' in wrong.content.decode()
        officer = Client()
        sign_in_with_2fa(officer, staff(Role.OFFICER, [world.office]))
        assert officer.get(url).status_code == 200  # officers see their office's appointments too
