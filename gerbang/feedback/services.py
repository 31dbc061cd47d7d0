"""Consultations: asking an office, following up, answering and closing. Each change writes its
event in the same transaction (DESIGN convention 3); an answer also writes the asker's
notification to the outbox there, so an answer is never stored without its message."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications.models import Application
from gerbang.applications.numbers import ALPHABET
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core import events
from gerbang.core.exceptions import Conflict, ErrorCode, PermissionDenied, ValidationError
from gerbang.core.ratelimit import Limit, enforce
from gerbang.feedback.events import ConsultationAnswered
from gerbang.feedback.models import Consultation, ConsultationMessage, ConsultationStatus, ConsultationTopic
from gerbang.feedback.selectors import answer_due

SUBJECT_MAX = 160
BODY_MIN = 10
BODY_MAX = 4000
TOPIC_MISSING = _("Choose what your question is about.")
SUBJECT_MISSING = _("Write a short subject for your question, e.g. “Passport for my child”.")
# Said by the forms (Django fills in the numbers) before the service's own check.
SUBJECT_TOO_SHORT = _("Write a subject of at least %(limit_value)d characters (it has %(show_value)d).")
BODY_MISSING = _("The message is empty: write what you want to ask or answer (no passwords or card numbers).")
BODY_TOO_SHORT = _("Write your message in at least %(limit_value)d characters (it has %(show_value)d).")
# Follow-ups and answers: enough for a lively thread, too few for a flood.
MESSAGES_PER_HOUR = 30


def _questions_limit() -> Limit:
    return Limit("consultation-open", settings.CONSULTATIONS_PER_DAY, 24 * 60 * 60)


MESSAGES_LIMIT = Limit("consultation-message", MESSAGES_PER_HOUR, 60 * 60)


def _clean_subject(subject: str) -> str:
    text = " ".join((subject or "").split())
    if len(text) < 3:
        raise ValidationError(SUBJECT_MISSING, field="subject")
    if len(text) > SUBJECT_MAX:
        raise ValidationError(
            _("The subject is too long: at most %(max)d characters.") % {"max": SUBJECT_MAX}, field="subject"
        )
    return text


def _message_body(body: str, actor: User) -> str:
    """A follow-up's or an answer's text, checked, once the writer is within their message limit."""
    clean_body = _clean_body(body)
    _throttle(MESSAGES_LIMIT, actor)
    return clean_body


def _clean_body(body: str) -> str:
    text = (body or "").strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError(BODY_MISSING, field="body")
    if len(text) < BODY_MIN:
        raise ValidationError(
            _("Write your message in at least %(min)d characters.") % {"min": BODY_MIN}, field="body"
        )
    if len(text) > BODY_MAX:
        raise ValidationError(
            _("The message is too long: at most %(max)d characters (it has %(count)d).")
            % {"max": BODY_MAX, "count": len(text)},
            field="body",
        )
    return text


def _throttle(limit: Limit, user: Any) -> None:
    enforce(
        (limit, str(user.pk)),
        message=_("You have sent many messages in a short time. Please try again later."),
    )


def _new_reference() -> str:
    while True:
        random_part = "".join(secrets.choice(ALPHABET) for _ in range(8))
        reference = f"KONS-{random_part[:4]}-{random_part[4:]}"
        if not Consultation.objects.filter(reference=reference).exists():
            return reference


def consultation_open(
    *,
    asker: Any,
    office: Office,
    topic: str,
    subject: str,
    body: str,
    application: Application | None = None,
    now: datetime | None = None,
) -> Consultation:
    """A person asks an office a question, about one of their own applications or in general."""
    if not getattr(asker, "is_authenticated", False) or getattr(asker, "is_staff_role", False):
        raise PermissionDenied(_("Questions to an office are asked from an applicant's account."))
    if topic not in ConsultationTopic.values:
        raise ValidationError(TOPIC_MISSING, field="topic")
    if application is not None and application.applicant_id != asker.pk:
        raise PermissionDenied()
    if not office.is_active:
        raise ValidationError(_("This office does not take questions."), field="office")
    clean_subject, clean_body = _clean_subject(subject), _clean_body(body)
    _throttle(_questions_limit(), asker)
    moment = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            reference=_new_reference(),
            asker=asker,
            office=office,
            application=application,
            topic=topic,
            subject=clean_subject,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            answer_due=answer_due(office, moment),
            waiting_since=moment,
            created_at=moment,
            updated_at=moment,
        )
        ConsultationMessage.objects.create(
            consultation=consultation, author=asker, body=clean_body, created_at=moment
        )
        events.record(
            "consultation.opened",
            actor=asker,
            subject=consultation,
            office_id=office.pk,
            details={"topic": topic, "application": application.pk if application else None},
        )
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("office", "asker").get(pk=consultation.pk)


def _check_seen(fresh: Consultation, seen_message_id: int | None) -> None:
    """Refuse a reply written without reading a message that arrived meanwhile."""
    if seen_message_id is None:
        return
    latest = fresh.messages.order_by("-id").values_list("id", flat=True).first()
    if latest is not None and latest > seen_message_id:
        raise Conflict(
            _("A new message arrived while you were writing. Read it first; your text is kept below."),
            code=ErrorCode.NEW_MESSAGE,
        )


def _add_message(
    consultation: Consultation,
    *,
    actor: User,
    body: str,
    from_office: bool,
    seen_message_id: int | None,
    moment: datetime,
) -> tuple[Consultation, ConsultationMessage]:
    """Lock the consultation and add a message to its thread (inside the caller's transaction)."""
    fresh = _locked(consultation)
    if fresh.status == ConsultationStatus.CLOSED:
        closed = (
            _("This question is closed.")
            if from_office
            else _("This question is closed. Ask a new question instead.")
        )
        raise Conflict(closed, code=ErrorCode.CLOSED)
    _check_seen(fresh, seen_message_id)
    message = ConsultationMessage.objects.create(
        consultation=fresh, author=actor, from_office=from_office, body=body, created_at=moment
    )
    return fresh, message


def consultation_follow_up(
    *,
    consultation: Consultation,
    body: str,
    actor: User,
    seen_message_id: int | None = None,
    now: datetime | None = None,
) -> ConsultationMessage:
    """The asker adds to their question; the office owes an answer again."""
    if consultation.asker_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    clean_body = _message_body(body, actor)
    moment = now or timezone.now()
    with transaction.atomic():
        fresh, message = _add_message(
            consultation,
            actor=actor,
            body=clean_body,
            from_office=False,
            seen_message_id=seen_message_id,
            moment=moment,
        )
        if fresh.status != ConsultationStatus.WAITING:
            fresh.waiting_since = moment
            fresh.answer_due = answer_due(fresh.office, moment)
        fresh.status = ConsultationStatus.WAITING
        fresh.updated_at = moment
        fresh.save(update_fields=["status", "waiting_since", "answer_due", "updated_at"])
        events.record("consultation.followed_up", actor=actor, subject=fresh, office_id=fresh.office_id)
    return message


def consultation_answer(
    *,
    consultation: Consultation,
    body: str,
    actor: User,
    seen_message_id: int | None = None,
    now: datetime | None = None,
) -> ConsultationMessage:
    """An officer of the office answers; the asker is told (``ConsultationAnswered``)."""
    require_permission(actor, Perm.CONSULTATION_ANSWER, office_id=consultation.office_id)
    clean_body = _message_body(body, actor)
    moment = now or timezone.now()
    with transaction.atomic():
        fresh, message = _add_message(
            consultation,
            actor=actor,
            body=clean_body,
            from_office=True,
            seen_message_id=seen_message_id,
            moment=moment,
        )
        # Late: the office owed an answer past its due date (an addition to an answer is not).
        late = (
            fresh.status == ConsultationStatus.WAITING
            and catalog.office_today(fresh.office, moment) > fresh.answer_due
        )
        fresh.status = ConsultationStatus.ANSWERED
        fresh.first_answered_at = fresh.first_answered_at or moment
        fresh.last_answered_by = actor
        fresh.updated_at = moment
        fresh.save(update_fields=["status", "first_answered_at", "last_answered_by", "updated_at"])
        events.record(
            "consultation.answered",
            actor=actor,
            subject=fresh,
            office_id=fresh.office_id,
            details={"message": message.pk, "late": late},
        )
        events.publish(ConsultationAnswered(consultation=fresh, answer=message, actor=actor, late=late))
    return message


def consultation_close(
    *, consultation: Consultation, actor: User, now: datetime | None = None
) -> Consultation:
    """The asker closes a settled question, or the office closes one that needs nothing more."""
    is_asker = consultation.asker_id == getattr(actor, "pk", None)
    if not is_asker and not has_permission(actor, Perm.CONSULTATION_ANSWER, office_id=consultation.office_id):
        raise PermissionDenied()
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _locked(consultation)
        if fresh.status == ConsultationStatus.CLOSED:
            return fresh
        if not is_asker and fresh.status == ConsultationStatus.WAITING:
            raise Conflict(_("Answer the question before closing it."), code=ErrorCode.UNANSWERED)
        fresh.status = ConsultationStatus.CLOSED
        fresh.closed_at = moment
        fresh.updated_at = moment
        fresh.save(update_fields=["status", "closed_at", "updated_at"])
        events.record(
            "consultation.closed",
            actor=actor,
            subject=fresh,
            office_id=fresh.office_id,
            details={"by": "asker" if is_asker else "office"},
        )
    return fresh


@transaction.atomic
def staff_read_record(*, consultation: Consultation, actor: User) -> None:
    """A staff read of a consultation (personal data) leaves a trace in the audit log."""
    require_permission(actor, Perm.CONSULTATION_VIEW, office_id=consultation.office_id)
    events.record("consultation.viewed", actor=actor, subject=consultation, office_id=consultation.office_id)
