"""``subscribers``: each occasion a person was served makes exactly one invitation and one
message to them, after the commit; a walk-in without an account gets no message, and their
ticket page offers the rating instead."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from gerbang.applications import services as cases
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments.tests.factories import NOW, weekday_hours
from gerbang.core.actors import SystemActor
from gerbang.feedback import report_services
from gerbang.feedback import services as consultations
from gerbang.notifications import services as notifications
from gerbang.notifications.models import InboxItem, OutboxMessage
from gerbang.queueing import services as queue
from gerbang.queueing.tests.factories import at, floor, opened, visitors, walk_ins
from gerbang.satisfaction.models import Invitation, Occasion
from gerbang.satisfaction.tests.conftest import Desk

pytestmark = pytest.mark.django_db


def _the_one_invitation(occasion: Occasion, occasion_id: int, person: Any) -> Invitation:
    invitation = Invitation.objects.get()
    assert (invitation.occasion, invitation.occasion_id, invitation.person) == (occasion, occasion_id, person)
    messages = OutboxMessage.objects.filter(kind="satisfaction.invited")
    if person is None:
        assert not messages.exists()
    else:
        message = messages.get()
        assert message.recipient == person
        assert message.context == {"invitation_id": invitation.pk}
    return invitation


def test_a_collected_case(desk: Desk, django_capture_on_commit_callbacks: Any) -> None:
    world = desk.world
    case = f.awaiting_appointment(world)
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("complete_interview", "approve", "mark_ready"):
            current = Application.objects.get(pk=case.pk)
            cases.application_transition(
                application=current, action=action, actor=world.officer, expected_version=current.version
            )
    assert not Invitation.objects.exists()  # ready is not yet collected
    with django_capture_on_commit_callbacks(execute=True):
        current = Application.objects.get(pk=case.pk)
        cases.application_transition(
            application=current,
            action="mark_collected",
            actor=world.officer,
            expected_version=current.version,
        )
    invitation = _the_one_invitation(Occasion.CASE, case.pk, case.applicant)
    assert (invitation.office, invitation.service) == (case.office, case.service)
    # Delivered: the inbox entry and the email lead to the rating page.
    message = OutboxMessage.objects.get(kind="satisfaction.invited")
    notifications.message_dispatch(message.pk)
    item = InboxItem.objects.get(recipient=case.applicant)
    assert item.link.endswith(reverse("satisfaction:rate", args=[invitation.token]))
    assert item.subject == "How was our service? Rate it in one minute"
    (email,) = mail.outbox
    assert item.link in email.body


def test_served_tickets_a_case_holder_is_told_a_walk_in_sees_it_on_the_ticket(
    desk: Desk, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    world = desk.world
    with time_machine.travel(NOW, tick=False):
        weekday_hours(world.office, capacity=20)
        place = floor(world.office)
        counter = opened(place.counters[0], world.officer)
        (ticket,) = walk_ins(place, world.officer, 1)
        page = client.get(reverse("queueing:ticket", args=[ticket.token])).content.decode()
        assert "Rate your visit" not in page
        with django_capture_on_commit_callbacks(execute=True):
            called = queue.call_next(counter=counter, actor=world.officer)
            assert called is not None and called.pk == ticket.pk
            queue.ticket_complete(ticket=called, actor=world.officer)
        invitation = _the_one_invitation(Occasion.VISIT, ticket.pk, None)
        assert invitation.office == world.office
        page = client.get(reverse("queueing:ticket", args=[ticket.token])).content.decode()
    assert "Rate your visit" in page
    assert reverse("satisfaction:rate", args=[invitation.token]) in page


def test_a_served_visitor_with_a_case_is_told(desk: Desk, django_capture_on_commit_callbacks: Any) -> None:
    world = desk.world
    with time_machine.travel(NOW, tick=False):
        weekday_hours(world.office, capacity=20)
        place = floor(world.office)
        counter = opened(place.counters[0], world.officer)
        (visit,) = visitors(world, 1)
        queue.check_in(actor=SystemActor("tests"), office=world.office, text=visit.code, now=at(9, 30))
        with django_capture_on_commit_callbacks(execute=True):
            called = queue.call_next(counter=counter, actor=world.officer, now=at(10, 0))
            assert called is not None and called.booking_id == visit.pk
            queue.ticket_complete(ticket=called, actor=world.officer, now=at(10, 12))
    invitation = _the_one_invitation(Occasion.VISIT, called.pk, visit.application.applicant)
    assert (invitation.office, invitation.service) == (world.office, visit.application.service)


def test_a_closed_consultation(desk: Desk, django_capture_on_commit_callbacks: Any) -> None:
    asked = consultations.consultation_open(
        asker=desk.person,
        office=desk.office,
        topic="other",
        subject="Opening hours",
        body="Are you open on Saturday?",
    )
    consultations.consultation_answer(
        consultation=asked, body="No, Monday to Friday only.", actor=desk.officer
    )
    with django_capture_on_commit_callbacks(execute=True):
        consultations.consultation_close(consultation=asked, actor=desk.person)
        consultations.consultation_close(consultation=asked, actor=desk.person)  # again: nothing more
    invitation = _the_one_invitation(Occasion.CONSULTATION, asked.pk, desk.person)
    assert invitation.office == desk.office


def test_a_closed_report(desk: Desk, django_capture_on_commit_callbacks: Any) -> None:
    report = report_services.report_submit(
        kind="complaint",
        topic="service",
        office=desk.office,
        subject="Waited four hours",
        body="I came at 08:00 with an appointment and was served at noon.",
        privacy="open",
        actor=desk.person,
    ).report
    report_services.report_verify(report=report, actor=desk.officer, outcome="verify")
    report_services.report_answer(
        report=report, actor=desk.officer, body="We added a counter in the mornings."
    )
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_confirm(report=report, actor=desk.person)
    _the_one_invitation(Occasion.REPORT, report.pk, desk.person)
