"""``appointments/data_subject.py``: the bookings a person gets back, and what erasure cancels,
keeps and forgets (UU PDP)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import data_subject
from gerbang.appointments.models import Booking, BookingStatus, Slot
from gerbang.appointments.tests.factories import MONDAY, book, slot_on
from gerbang.core import data_subjects
from gerbang.core.calendar import years_later
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db

YEARS = 2


@pytest.fixture(autouse=True)
def _retention(settings: Any) -> None:
    settings.DATA_RETENTION_YEARS = {**settings.DATA_RETENTION_YEARS, "visits": YEARS}


def siti_case(world: f.World) -> Application:
    siti = UserFactory.create(full_name="Siti Rahmawati")
    answers = f.passport_answers(full_name="Siti Rahmawati", sex="F", nik=f.NIK_WOMAN)
    return f.awaiting_appointment(world, answers=answers, applicant=siti)


def visited(booking: Booking, day: dt.date) -> Booking:
    """The booking's visit took place on ``day`` (its slot moved there)."""
    Slot.objects.filter(pk=booking.slot_id).update(day=day)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.DONE)
    booking.refresh_from_db()
    return booking


def test_the_export_holds_the_persons_bookings_and_nothing_of_another_person(
    world: f.World, case: Application
) -> None:
    mine = book(case, slot_on(world, MONDAY + dt.timedelta(days=2)), priority_reason="disability")
    theirs = book(siti_case(world), slot_on(world, MONDAY + dt.timedelta(days=2), hour=9))
    section = data_subject.export(case.applicant)[0]
    text = json.dumps(section.rows, cls=DjangoJSONEncoder)
    assert [row["booking_code"] for row in section.rows] == [mine.code]
    assert section.rows[0]["priority"] == "Person with a disability"
    assert section.rows[0]["application"] == case.number
    assert theirs.code not in text and str(theirs.application.number) not in text
    assert "Siti" not in text


def test_erasure_cancels_coming_bookings_keeps_recent_visits_and_forgets_old_priorities(
    world: f.World, case: Application
) -> None:
    coming = book(case, slot_on(world, MONDAY + dt.timedelta(days=3)), priority_reason="elderly")
    slot = Slot.objects.get(pk=coming.slot_id)
    assert slot.booked == 1
    # Two earlier visits of the same person (made on other cases of theirs, directly).
    recent = visited(
        book(
            f.awaiting_appointment(world),
            slot_on(world, MONDAY + dt.timedelta(days=1)),
            priority_reason="pregnant",
        ),
        MONDAY - dt.timedelta(days=200),
    )
    old_day = years_later(MONDAY, -YEARS) - dt.timedelta(days=1)
    old = visited(
        book(
            f.awaiting_appointment(world),
            slot_on(world, MONDAY + dt.timedelta(days=1), hour=9),
            priority_reason="elderly",
        ),
        old_day,
    )
    theirs = visited(
        book(
            siti_case(world),
            slot_on(world, MONDAY + dt.timedelta(days=1), hour=10),
            priority_reason="elderly",
        ),
        old_day,
    )
    now = timezone.now()
    events = Event.objects.count()

    planned = data_subject.erase(case.applicant, now, True)
    assert Event.objects.count() == events
    coming.refresh_from_db()
    assert coming.status == BookingStatus.CONFIRMED  # a dry run writes nothing
    done = data_subject.erase(case.applicant, now, False)
    assert [(o.erased, o.kept, o.kept_until) for o in planned] == [
        (o.erased, o.kept, o.kept_until) for o in done
    ]

    outcome = done[0]
    assert (outcome.erased, outcome.kept) == (2, 1)
    assert outcome.kept_until == years_later(MONDAY - dt.timedelta(days=200), YEARS)
    coming.refresh_from_db()
    assert coming.status == BookingStatus.CANCELLED and coming.priority_reason == ""
    assert Slot.objects.get(pk=slot.pk).booked == 0  # the place is free for others
    assert Event.objects.filter(code="appointment.cancelled", details__why="erasure").count() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    theirs.refresh_from_db()
    assert old.priority_reason == "" and old.status == BookingStatus.DONE and old.code
    assert recent.priority_reason == "pregnant"
    assert theirs.priority_reason == "elderly"  # another person's: the sweep's, not this request's
    assert Event.objects.filter(code="appointment.personal_data_erased").count() == 1


def test_expire_forgets_old_priorities_once(world: f.World, case: Application) -> None:
    old_day = years_later(MONDAY, -YEARS) - dt.timedelta(days=1)
    old = visited(
        book(case, slot_on(world, MONDAY + dt.timedelta(days=1)), priority_reason="elderly"), old_day
    )
    recent = visited(
        book(
            siti_case(world), slot_on(world, MONDAY + dt.timedelta(days=1), hour=9), priority_reason="elderly"
        ),
        MONDAY - dt.timedelta(days=3),
    )
    now = timezone.now()
    assert data_subject.expire(now, True)[0].erased == 1
    old.refresh_from_db()
    assert old.priority_reason == "elderly"
    assert data_subject.expire(now, False)[0].erased == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.priority_reason == "" and recent.priority_reason == "elderly"
    assert data_subject.expire(now, False)[0].erased == 0


def test_booking_events_are_traced_through_their_case(world: f.World, case: Application) -> None:
    book(case, slot_on(world, MONDAY + dt.timedelta(days=2)))
    event = Event.objects.get(code="appointment.booked")
    assert data_subjects.owners_of(event.subject_type, [event.subject_id, str(2**63)]) == {
        event.subject_id: case.applicant_id
    }
