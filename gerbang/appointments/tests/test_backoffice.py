"""The office's appointment page: the day's bookings for its staff, and hours, rules and quotas
for its administrators; changes reach only days not yet open for booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications.tests import factories as f
from gerbang.appointments import services
from gerbang.appointments.models import BookingPolicy, QuotaDay, ScheduleTemplate, ServiceQuota, Slot
from gerbang.appointments.tests.factories import MONDAY, policy
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


def url(world: f.World) -> str:
    return f"/backoffice/offices/{world.office.code}/appointments/"


def test_officer_sees_the_days_bookings_but_cannot_change_hours(world: f.World, staff_client: Any) -> None:
    case = f.awaiting_appointment(world)
    services.slots_ensure(office=world.office, group="passport", until=MONDAY + dt.timedelta(days=1))
    slot = Slot.objects.filter(day=MONDAY + dt.timedelta(days=1)).order_by("starts_at").first()
    assert slot is not None
    hold = services.booking_hold(application=case, slot_id=slot.pk, actor=case.applicant)
    services.booking_confirm(booking=hold, actor=case.applicant)
    client = staff_client(world.officer)
    page = client.get(url(world) + "?day=2026-12-08", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert hold.code in page and case.number in page
    assert "Add visiting hours" not in page
    refused = client.post(url(world), {"action": "quota", "service": "paspor-biasa", "daily_limit": 3})
    assert refused.status_code == 403


def test_other_offices_staff_are_refused(world: f.World, staff_client: Any) -> None:
    outsider = staff(Role.OFFICER, [world.other_office])
    assert staff_client(outsider).get(url(world)).status_code == 403


def test_admin_changes_hours_for_days_not_yet_open(world: f.World, staff_client: Any) -> None:
    admin = staff(Role.OFFICE_ADMIN, [world.office])
    policy(world.office, release_days_ahead=2)
    services.slots_generate_ahead()
    client = staff_client(admin)
    response = client.post(
        url(world),
        {
            "action": "block",
            "group": "passport",
            "weekdays": ["5"],
            "starts": "08:00",
            "ends": "10:00",
            "slot_minutes": "30",
            "capacity": "2",
            "priority_share": "0",
            "same_day_share": "0",
        },
    )
    assert response.status_code == 302
    saturday = MONDAY + dt.timedelta(days=5)
    assert Slot.objects.filter(day=saturday).count() == 4
    # An overlap is refused with the message on the form, and the input is kept.
    overlap = client.post(
        url(world),
        {
            "action": "block",
            "group": "passport",
            "weekdays": ["5"],
            "starts": "09:00",
            "ends": "11:00",
            "slot_minutes": "30",
            "capacity": "2",
            "priority_share": "0",
            "same_day_share": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert overlap.status_code == 400
    page = overlap.content.decode()
    assert "overlap" in page and 'value="11:00"' in page
    # Removing Tuesday's hours empties only days not yet open (Tuesday next week), not tomorrow.
    tuesday = ScheduleTemplate.objects.get(office=world.office, weekday=1)
    client.post(f"{url(world)}hours/{tuesday.pk}/remove/")
    assert Slot.objects.filter(day=MONDAY + dt.timedelta(days=1)).exists()
    assert not Slot.objects.filter(day=MONDAY + dt.timedelta(days=8)).exists()
    assert Event.objects.filter(code__in=["appointment.hours_set", "appointment.hours_removed"]).count() == 2


def test_admin_sets_rules_and_quota(world: f.World, staff_client: Any) -> None:
    admin = staff(Role.OFFICE_ADMIN, [world.office])
    services.slots_ensure(office=world.office, group="passport", until=MONDAY + dt.timedelta(days=3))
    client = staff_client(admin)
    rules = {
        "action": "policy",
        "release_days_ahead": "7",
        "release_time": "07:30",
        "hold_minutes": "4",
        "change_cutoff_hours": "12",
        "max_reschedules": "1",
        "checkin_before_minutes": "45",
        "checkin_after_minutes": "15",
        "late_policy": "end_of_queue",
    }
    assert client.post(url(world) + "?group=passport", rules).status_code == 302
    saved = BookingPolicy.objects.get(office=world.office, group="passport")
    assert (saved.release_days_ahead, saved.hold_minutes, saved.late_policy) == (7, 4, "end_of_queue")
    assert (
        client.post(
            url(world), {"action": "quota", "service": "paspor-biasa", "daily_limit": "3"}
        ).status_code
        == 302
    )
    assert ServiceQuota.objects.get(office=world.office).daily_limit == 3
    assert QuotaDay.objects.filter(office=world.office, limit=3).count() == 4
    client.post(url(world), {"action": "quota", "service": "paspor-biasa", "daily_limit": ""})
    assert not ServiceQuota.objects.exists() and not QuotaDay.objects.exists()
