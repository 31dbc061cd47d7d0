"""``queueing/data_subject.py``: the tickets a person gets back, and what erasure keeps and
forgets (UU PDP)."""

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
from gerbang.appointments.tests.factories import MONDAY
from gerbang.core import data_subjects
from gerbang.core.actors import SystemActor
from gerbang.core.calendar import years_later
from gerbang.core.models import Event
from gerbang.queueing import data_subject, services
from gerbang.queueing.models import Ticket
from gerbang.queueing.tests.factories import Floor, at, booked, walk_ins

pytestmark = pytest.mark.django_db

YEARS = 2
KIOSK = SystemActor("tests")


@pytest.fixture(autouse=True)
def _retention(settings: Any) -> None:
    settings.DATA_RETENTION_YEARS = {**settings.DATA_RETENTION_YEARS, "visits": YEARS}


def checked_in(case: Application, hour: int, priority: str = "", note: str = "") -> Ticket:
    booking = booked(case, hour, priority_reason=priority)
    ticket = services.check_in(actor=KIOSK, office=case.office, text=booking.code, now=at(hour - 1, 45))
    Ticket.objects.filter(pk=ticket.pk).update(note=note)
    ticket.refresh_from_db()
    return ticket


def siti_case(world: f.World) -> Application:
    siti = UserFactory.create(full_name="Siti Rahmawati")
    answers = f.passport_answers(full_name="Siti Rahmawati", sex="F", nik=f.NIK_WOMAN)
    return f.awaiting_appointment(world, answers=answers, applicant=siti)


def on_day(ticket: Ticket, day: dt.date) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(day=day)
    ticket.refresh_from_db()
    return ticket


def test_the_export_holds_the_persons_tickets_and_nothing_of_another_person(
    world: f.World, office_floor: Floor
) -> None:
    mine = checked_in(f.awaiting_appointment(world), 10, priority="elderly", note="Kursi roda BUDI")
    theirs = checked_in(siti_case(world), 11, note="Catatan SITI")
    walk_ins(office_floor, world.officer, 1, priority="pregnant")
    section = data_subject.export(world.applicant)[0]
    text = json.dumps(section.rows, cls=DjangoJSONEncoder)
    assert [row["number"] for row in section.rows] == [mine.number]
    row = section.rows[0]
    assert (row["priority"], row["note"], row["lane"]) == ("Aged 60 or over", "Kursi roda BUDI", "A")
    assert "SITI" not in text and theirs.number not in text and "Pregnant" not in text


def test_erasure_keeps_recent_tickets_and_forgets_old_priorities_and_notes(
    world: f.World, office_floor: Floor
) -> None:
    old_day = years_later(MONDAY, -YEARS) - dt.timedelta(days=1)
    old = on_day(checked_in(f.awaiting_appointment(world), 10, "elderly", "old note"), old_day)
    recent = on_day(
        checked_in(f.awaiting_appointment(world), 11, "pregnant", "recent note"),
        MONDAY - dt.timedelta(days=30),
    )
    theirs = on_day(checked_in(siti_case(world), 9, "elderly", "their note"), old_day)
    now = timezone.now()
    events = Event.objects.count()

    planned = data_subject.erase(world.applicant, now, True)
    assert Event.objects.count() == events
    old.refresh_from_db()
    assert old.note == "old note"
    done = data_subject.erase(world.applicant, now, False)
    assert [(o.erased, o.kept, o.kept_until) for o in planned] == [
        (o.erased, o.kept, o.kept_until) for o in done
    ]
    outcome = done[0]
    assert (outcome.erased, outcome.kept) == (1, 1)
    assert outcome.kept_until == years_later(MONDAY - dt.timedelta(days=30), YEARS)
    for ticket in (old, recent, theirs):
        ticket.refresh_from_db()
    assert (old.priority_reason, old.note, old.number) == ("", "", old.number)
    assert (recent.priority_reason, recent.note) == ("pregnant", "recent note")
    assert (theirs.priority_reason, theirs.note) == ("elderly", "their note")
    assert Event.objects.filter(code="queue.personal_data_erased", subject_id=str(old.pk)).count() == 1


def test_expire_erases_every_old_ticket_once(world: f.World, office_floor: Floor) -> None:
    old_day = years_later(MONDAY, -YEARS) - dt.timedelta(days=1)
    old = on_day(checked_in(f.awaiting_appointment(world), 10, "elderly"), old_day)
    walk_in = on_day(walk_ins(office_floor, world.officer, 1, priority="disability")[0], old_day)
    recent = checked_in(siti_case(world), 11, "elderly")
    now = timezone.now()
    assert data_subject.expire(now, True)[0].erased == 2
    assert data_subject.expire(now, False)[0].erased == 2
    for ticket in (old, walk_in, recent):
        ticket.refresh_from_db()
    assert old.priority_reason == "" and walk_in.priority_reason == "" and recent.priority_reason == "elderly"
    assert data_subject.expire(now, False)[0].erased == 0


def test_owners_trace_tickets_of_cases_but_not_walk_ins(world: f.World, office_floor: Floor) -> None:
    ticket = checked_in(f.awaiting_appointment(world), 10)
    walk_in = walk_ins(office_floor, world.officer, 1)[0]
    ids = [str(ticket.pk), str(walk_in.pk), str(2**63), "9" * 30, "x"]
    assert data_subjects.owners_of("queueing.ticket", ids) == {str(ticket.pk): world.applicant.pk}


def test_an_officers_note_on_a_ticket_event_goes_with_the_ticket(
    world: f.World, office_floor: Floor, officer_at_1: Any
) -> None:
    from gerbang.core import events

    first, second = walk_ins(office_floor, world.officer, 2, priority="pregnant")
    for ticket, note in ((first, "Fotokopi KTP BUDI"), (second, "Fotokopi KK SITI")):
        called = services.call_next(counter=officer_at_1, actor=world.officer)
        assert called is not None and called.pk == ticket.pk
        services.ticket_park(ticket=called, actor=world.officer, note=note)
    parked = Event.objects.select_related("note").get(code="queue.parked", subject_id=str(first.pk))
    assert "BUDI" not in json.dumps(parked.details) and events.note_of(parked) == "Fotokopi KTP BUDI"
    # The event says whether the visitor had priority, not why (that stays in the ticket).
    called_event = Event.objects.get(code="queue.called", subject_id=str(first.pk))
    assert called_event.details["priority"] is True and "pregnant" not in json.dumps(called_event.details)
    # The ticket's own note is gone already (sent back to the lane with it cleared): the sweep
    # still finds the note of its event.
    Ticket.objects.filter(pk=first.pk).update(note="", priority_reason="")
    on_day(first, years_later(MONDAY, -YEARS) - dt.timedelta(days=1))
    assert data_subject.expire(timezone.now(), False)[0].erased == 1
    assert events.note_of(Event.objects.select_related("note").get(pk=parked.pk)) is None
    other = Event.objects.select_related("note").get(code="queue.parked", subject_id=str(second.pk))
    assert events.note_of(other) == "Fotokopi KK SITI"


def test_the_export_gives_the_notes_of_the_tickets_history(
    world: f.World, office_floor: Floor, officer_at_1: Any
) -> None:
    mine = checked_in(f.awaiting_appointment(world), 10)
    theirs = checked_in(siti_case(world), 11)
    for ticket, note in ((mine, "Bawa fotokopi KTP"), (theirs, "Catatan SITI")):
        called = services.call_next(counter=officer_at_1, actor=world.officer, now=at(11, 0))
        assert called is not None and called.pk == ticket.pk
        services.ticket_park(ticket=called, actor=world.officer, note=note)
    rows = data_subject.export(world.applicant)[0].rows
    assert [row["history_notes"] for row in rows] == [["Bawa fotokopi KTP"]]
    assert "SITI" not in json.dumps(rows, cls=DjangoJSONEncoder)
