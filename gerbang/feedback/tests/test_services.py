"""Consultations: asking, following up, answering (with its message to the asker), closing, who may
do what, limits, due dates in the office's working days, and the audit of staff reads."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.applications.tests import factories as f
from gerbang.applications.tests.factories import photo_bytes
from gerbang.core.exceptions import Conflict, NotFound, PermissionDenied, RateLimited, ValidationError
from gerbang.core.models import Event
from gerbang.feedback import selectors, services, threads
from gerbang.feedback.events import ConsultationAnswered, ConsultationClosed
from gerbang.feedback.models import Consultation, ConsultationStatus
from gerbang.notifications import services as notifications
from gerbang.notifications.models import InboxItem, OutboxMessage

pytestmark = pytest.mark.django_db

# A Monday, 09:00 WIB.
MONDAY = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def ask(world: f.World, **overrides: object) -> Consultation:
    values: dict[str, object] = {
        "asker": world.applicant,
        "office": world.office,
        "topic": "requirements",
        "subject": "Damaged passport",
        "body": "My passport got wet. Is it a damaged-passport replacement?",
        **overrides,
    }
    return services.consultation_open(**values)  # type: ignore[arg-type]


def test_asking_stores_the_question_encrypted_with_a_due_date_in_working_days(world: f.World) -> None:
    with time_machine.travel(MONDAY, tick=False):
        consultation = ask(world)
    assert consultation.status == ConsultationStatus.WAITING
    assert consultation.reference.startswith("KONS-")
    assert consultation.answer_due == dt.date(2026, 12, 10)  # three working days after Monday
    message = consultation.messages.get()
    assert message.body.startswith("My passport got wet") and not message.from_office
    event = Event.objects.get(code="consultation.opened")
    assert event.office_id == world.office.pk and event.details["topic"] == "requirements"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM feedback_consultationmessage")
        stored = cursor.fetchone()[0]
    assert "passport" not in stored  # encrypted at rest


def test_a_question_asked_on_friday_is_due_after_the_weekend(world: f.World) -> None:
    friday = MONDAY + dt.timedelta(days=4)
    with time_machine.travel(friday, tick=False):
        assert ask(world).answer_due == dt.date(2026, 12, 16)


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("subject", "", "subject"),
        ("subject", "x" * 161, "subject"),
        ("body", "short", "body"),
        ("body", "x" * 4001, "body"),
        ("topic", "gossip", "topic"),
    ],
)
def test_bad_input_names_the_field(world: f.World, field: str, value: str, error_field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ask(world, **{field: value})
    assert caught.value.field == error_field
    assert not Consultation.objects.exists()


def test_staff_cannot_ask_and_nobody_asks_about_someone_elses_application(world: f.World) -> None:
    with pytest.raises(PermissionDenied):
        ask(world, asker=world.officer)
    case = f.submitted(world)
    with pytest.raises(PermissionDenied):
        ask(world, asker=UserFactory.create(), application=case)


def test_questions_per_day_are_limited(world: f.World, settings) -> None:
    settings.CONSULTATIONS_PER_DAY = 2
    ask(world)
    ask(world)
    with pytest.raises(RateLimited) as caught:
        ask(world)
    assert caught.value.retry_after > 0
    assert Consultation.objects.count() == 2
    ask(world, asker=UserFactory.create())  # another person is not affected


def test_an_answer_tells_the_asker_by_email_and_inbox(world: f.World) -> None:
    world.applicant.full_name = "Siti O'Brien"
    world.applicant.save()
    consultation = ask(world)
    services.consultation_answer(
        consultation=consultation,
        body="Yes: it's a replacement for a damaged passport. Bring the old one.",
        actor=world.officer,
    )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.first_answered_at is not None and consultation.last_answered_by == world.officer
    message = OutboxMessage.objects.get(kind="consultation.answered")
    for delivery_id in notifications.fan_out(message.pk):
        notifications.delivery_attempt(delivery_id)
    email = mail.outbox[-1]
    assert email.to == [world.applicant.email]
    assert email.subject == "Kantor Imigrasi Mesuji answered your question"
    # Plain text is not HTML-escaped: the apostrophes stay apostrophes.
    assert "Hello Siti O'Brien," in email.body and "it's a replacement" in email.body
    assert f"/consultations/{consultation.pk}/" in email.body
    assert "it&#x27;s" in str(email.alternatives[0][0])  # type: ignore[attr-defined]
    item = InboxItem.objects.get(recipient=world.applicant)
    assert item.link.endswith(f"/consultations/{consultation.pk}/")
    assert Event.objects.filter(code="consultation.answered", details__late=False).exists()


def test_an_answer_is_published_once_per_answer(world: f.World, published: Any) -> None:
    answered = published(ConsultationAnswered)
    consultation = ask(world)
    answer = services.consultation_answer(
        consultation=consultation, body="Yes, bring the old passport.", actor=world.officer
    )
    assert [(e.consultation.pk, e.answer.pk, e.late) for e in answered] == [
        (consultation.pk, answer.pk, False)
    ]


def test_a_late_answer_is_recorded_as_late(world: f.World) -> None:
    with time_machine.travel(MONDAY, tick=False):
        consultation = ask(world)
    with time_machine.travel(MONDAY + dt.timedelta(days=4), tick=False):
        assert selectors.is_overdue(consultation)
        services.consultation_answer(
            consultation=consultation, body="Sorry for the wait: yes.", actor=world.officer
        )
    assert Event.objects.get(code="consultation.answered").details["late"] is True


def test_only_staff_of_the_office_may_answer(world: f.World) -> None:
    consultation = ask(world)
    elsewhere = staff(Role.OFFICER, [world.other_office])
    auditor = staff(Role.AUDITOR)
    for who in (elsewhere, auditor, world.applicant):
        with pytest.raises(PermissionDenied):
            services.consultation_answer(consultation=consultation, body="An answer text.", actor=who)
    assert not OutboxMessage.objects.filter(kind="consultation.answered").exists()


def test_a_follow_up_makes_the_office_owe_an_answer_again(world: f.World) -> None:
    with time_machine.travel(MONDAY, tick=False):
        consultation = ask(world)
        services.consultation_answer(
            consultation=consultation, body="Bring the old passport.", actor=world.officer
        )
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        services.consultation_follow_up(
            consultation=consultation, body="And if I lost the old one too?", actor=world.applicant
        )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.WAITING
    assert consultation.answer_due == dt.date(2026, 12, 17)
    assert [m.from_office for m in selectors.messages_of(consultation)] == [False, True, False]
    with pytest.raises(PermissionDenied):
        services.consultation_follow_up(
            consultation=consultation, body="Someone else writing here.", actor=UserFactory.create()
        )


def test_a_reply_written_before_a_new_message_arrived_is_refused(world: f.World) -> None:
    consultation = ask(world)
    seen = consultation.messages.get().pk
    services.consultation_answer(
        consultation=consultation, body="The first officer's answer.", actor=world.officer
    )
    with pytest.raises(Conflict) as caught:
        services.consultation_answer(
            consultation=consultation,
            body="A second officer's answer.",
            actor=world.supervisor,
            seen_message_id=seen,
        )
    assert caught.value.code == "new_message"
    assert consultation.messages.count() == 2


def test_closing(world: f.World, published: Any) -> None:
    closings = published(ConsultationClosed)
    consultation = ask(world)
    with pytest.raises(Conflict):
        services.consultation_close(consultation=consultation, actor=world.officer)  # unanswered
    services.consultation_answer(consultation=consultation, body="Here is the answer.", actor=world.officer)
    with pytest.raises(PermissionDenied):
        services.consultation_close(consultation=consultation, actor=UserFactory.create())
    closed = services.consultation_close(consultation=consultation, actor=world.applicant)
    assert closed.status == ConsultationStatus.CLOSED and closed.closed_at is not None
    assert Event.objects.get(code="consultation.closed").details == {"by": "asker"}
    assert [(e.consultation.pk, e.by) for e in closings] == [(consultation.pk, "asker")]
    with pytest.raises(Conflict):
        services.consultation_follow_up(
            consultation=consultation, body="One more thing please.", actor=world.applicant
        )
    with pytest.raises(Conflict):
        services.consultation_answer(
            consultation=consultation, body="Late addition here.", actor=world.officer
        )


def test_staff_see_only_their_offices_and_their_reads_are_logged(world: f.World) -> None:
    mine = ask(world)
    theirs = ask(world, office=world.other_office)
    assert list(selectors.consultations_for_staff(world.officer)) == [mine]
    assert set(selectors.consultations_for_staff(staff(Role.AUDITOR), status="all")) == {mine, theirs}
    assert selectors.consultation_for_staff(world.officer, theirs.pk) is None
    assert selectors.consultations_for_staff(world.applicant).count() == 0
    services.staff_read_record(consultation=mine, actor=world.officer)
    assert Event.objects.filter(code="consultation.viewed", actor=world.officer).count() == 1
    with pytest.raises(PermissionDenied):
        services.staff_read_record(consultation=theirs, actor=world.officer)


def test_waiting_counts(world: f.World) -> None:
    with time_machine.travel(MONDAY, tick=False):
        ask(world)
        answered = ask(world, subject="Another question")
        services.consultation_answer(consultation=answered, body="Answered at once.", actor=world.officer)
    with time_machine.travel(MONDAY + dt.timedelta(days=10), tick=False):
        ask(world, subject="A fresh question")
        counts = selectors.waiting_counts(world.officer)
    assert (counts.waiting, counts.overdue) == (2, 1)


# --- Attachments (shared with reports: ``threads``) ------------------------------------------------


def _picture(name: str = "receipt.png") -> threads.Upload:
    return threads.Upload(file=io.BytesIO(photo_bytes(fmt="PNG")), name=name)


def test_files_go_with_the_question_the_follow_up_and_the_answer(world: f.World) -> None:
    consultation = ask(world, uploads=[_picture()])
    attachment = consultation.attachments.get()
    assert attachment.message == consultation.messages.get() and attachment.content_type == "image/png"
    assert attachment.name == "receipt.png" and len(attachment.sha256) == 64
    # The one storage rule of thread files: the thread's folder and a random name.
    path = attachment.file.name or ""
    assert path.startswith("consultations/") and "receipt" not in path
    follow_up = services.consultation_follow_up(
        consultation=consultation,
        body="Here is the second page.",
        actor=world.applicant,
        uploads=[_picture()],
    )
    answer = services.consultation_answer(
        consultation=consultation,
        body="See the form attached.",
        actor=world.officer,
        uploads=[_picture("form.png")],
    )
    assert follow_up.attachments.count() == 1 and [a.name for a in answer.attachments.all()] == ["form.png"]
    assert consultation.attachments.count() == 3
    assert [len(m.attachments.all()) for m in selectors.messages_of(consultation)] == [1, 1, 1]


def test_a_bad_file_or_too_many_refuse_the_message_before_anything_is_kept(world: f.World) -> None:
    bad = threads.Upload(file=io.BytesIO(b"MZ\x90\x00 not a picture"), name="photo.jpg")
    with pytest.raises(ValidationError) as caught:
        ask(world, uploads=[bad])
    assert caught.value.field == "attachments"
    assert not Consultation.objects.exists()
    consultation = ask(world)
    with pytest.raises(ValidationError) as caught:
        services.consultation_follow_up(
            consultation=consultation,
            body="Six pages of my passport.",
            actor=world.applicant,
            uploads=[_picture() for _ in range(threads.MAX_ATTACHMENTS + 1)],
        )
    assert caught.value.field == "attachments" and "at most 5 files" in str(caught.value.message)
    assert consultation.messages.count() == 1 and not consultation.attachments.exists()


def test_a_staff_read_of_a_file_is_logged_for_staff_who_may_see_the_question(world: f.World) -> None:
    mine = ask(world, uploads=[_picture()])
    theirs = ask(world, office=world.other_office, uploads=[_picture()])
    attachment = mine.attachments.get()
    services.staff_file_read_record(consultation=mine, attachment=attachment, actor=world.officer)
    event = Event.objects.get(code="consultation.attachment_viewed")
    assert event.actor == world.officer and event.subject_id == str(mine.pk)
    assert event.details == {"attachment": attachment.pk}  # nothing about the asker
    with pytest.raises(PermissionDenied):
        services.staff_file_read_record(
            consultation=theirs, attachment=theirs.attachments.get(), actor=world.officer
        )
    with pytest.raises(NotFound):  # a file of another question
        services.staff_file_read_record(
            consultation=mine, attachment=theirs.attachments.get(), actor=staff(Role.AUDITOR)
        )
    assert Event.objects.filter(code="consultation.attachment_viewed").count() == 1
