"""Visiting hours for test offices, a fixed Monday morning to book from, and booking a time."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications import numbers
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.appointments import services
from gerbang.appointments.models import Booking, BookingPolicy, ScheduleTemplate, Slot
from gerbang.catalog.models import Office, Service

# Monday 7 December 2026, 09:00 in Jakarta (WIB).
MONDAY = dt.date(2026, 12, 7)
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def weekday_hours(
    office: Office,
    group: str = "passport",
    *,
    capacity: int = 4,
    starts: dt.time = dt.time(8, 0),
    ends: dt.time = dt.time(12, 0),
    slot_minutes: int = 60,
    priority_share: int = 0,
    same_day_share: int = 0,
    days: range = range(5),
) -> list[ScheduleTemplate]:
    return [
        ScheduleTemplate.objects.create(
            office=office,
            group=group,
            weekday=weekday,
            starts=starts,
            ends=ends,
            slot_minutes=slot_minutes,
            capacity=capacity,
            priority_share=priority_share,
            same_day_share=same_day_share,
        )
        for weekday in days
    ]


def policy(office: Office, group: str = "passport", **fields: object) -> BookingPolicy:
    return BookingPolicy.objects.update_or_create(office=office, group=group, defaults=fields)[0]


def waiting_cases(office: Office, service: Service, count: int) -> list[Application]:
    """``count`` cases of different applicants, each waiting to book its interview (made
    directly in that state: the way there is tested elsewhere)."""
    users = [
        UserFactory.create(email=f"rush-{office.code}-{n}-{secrets.token_hex(3)}@example.test")
        for n in range(count)
    ]
    return [
        Application.objects.create(
            applicant=user,
            office=office,
            service=service,
            form_key="passport",
            state=State.AWAITING_APPOINTMENT,
            number=numbers.new_number(office_code=office.code, year=2026),
        )
        for user in users
    ]


def slot_on(world: f.World, day: dt.date, hour: int = 8) -> Slot:
    services.slots_ensure(office=world.office, group="passport", until=day)
    return Slot.objects.get(
        office=world.office,
        group="passport",
        starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=NOW.tzinfo),
    )


def book(case: Application, slot: Slot, **kwargs: Any) -> Booking:
    hold = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant, **kwargs)
    return services.booking_confirm(booking=hold, actor=case.applicant)
