"""Consultations: asking an office, following up, answering and closing. Each change writes its
event in the same transaction (DESIGN convention 3); an answer also writes the asker's
notification to the outbox there, so an answer is never stored without its message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications.documents import InspectedFile
from gerbang.applications.models import Application
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core import events, idempotency
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, ErrorCode, NotFound, PermissionDenied, ValidationError
from gerbang.core.ratelimit import Limit
from gerbang.feedback import threads
from gerbang.feedback.events import ConsultationAnswered, ConsultationClosed
from gerbang.feedback.models import (
    Consultation,
    ConsultationAttachment,
    ConsultationMessage,
    ConsultationStatus,
    ConsultationTopic,
)
from gerbang.feedback.selectors import answer_due
from gerbang.feedback.threads import (
    BODY_MAX,
    BODY_MIN,
    BODY_MISSING,
    BODY_TOO_SHORT,
    MESSAGES_LIMIT,
    MESSAGES_PER_HOUR,
    SUBJECT_MAX,
    SUBJECT_MISSING,
    SUBJECT_TOO_SHORT,
)

__all__ = [
    "BODY_MAX",
    "BODY_MIN",
    "BODY_MISSING",
    "BODY_TOO_SHORT",
    "MESSAGES_LIMIT",
    "MESSAGES_PER_HOUR",
    "SUBJECT_MAX",
    "SUBJECT_MISSING",
    "SUBJECT_TOO_SHORT",
]

TOPIC_MISSING = _("Choose what your question is about.")
# Idempotency scopes (core.idempotency): a form sent twice is taken once.
OPEN_SCOPE = "feedback.consultation_open"
FOLLOW_UP_SCOPE = "feedback.consultation_follow_up"


def _questions_limit() -> Limit:
    return Limit("consultation-open", settings.CONSULTATIONS_PER_DAY, 24 * 60 * 60)


def _clean_subject(subject: str) -> str:
    return threads.clean_subject(subject)


def _clean_body(body: str) -> str:
    return threads.clean_body(body)


def _message_body(body: str, actor: User) -> str:
    return threads.message_body(body, str(actor.pk))


def _throttle(limit: Limit, user: Any) -> None:
    threads.throttle(limit, str(user.pk))


def consultation_open(
    *,
    asker: Any,
    office: Office,
    topic: str,
    subject: str,
    body: str,
    application: Application | None = None,
    uploads: list[threads.Upload] | None = None,
    now: datetime | None = None,
    idempotency_key: str | None = None,
) -> Consultation:
    """A person asks an office a question, about one of their own applications or in general,
    with files if they like (judged like a report's: ``threads.inspect_uploads``). The same
    ``idempotency_key`` again (the form sent twice) gives the first question, asked once."""
    if not getattr(asker, "is_authenticated", False) or getattr(asker, "is_staff_role", False):
        raise PermissionDenied(_("Questions to an office are asked from an applicant's account."))
    owner = idempotency.owner_of(asker)
    asked = idempotency.first_result(owner=owner, scope=OPEN_SCOPE, key=idempotency_key)
    if asked is not None:
        return Consultation.objects.get(pk=asked)
    if topic not in ConsultationTopic.values:
        raise ValidationError(TOPIC_MISSING, field="topic")
    if application is not None and application.applicant_id != asker.pk:
        raise PermissionDenied()
    if not office.is_active:
        raise ValidationError(_("This office does not take questions."), field="office")
    clean_subject, clean_body = _clean_subject(subject), _clean_body(body)
    files = threads.inspect_uploads(uploads)
    _throttle(_questions_limit(), asker)
    moment = now or timezone.now()

    def ask() -> Consultation:
        consultation = Consultation.objects.create(
            reference=threads.new_reference("KONS", Consultation),
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
        message = ConsultationMessage.objects.create(
            consultation=consultation, author=asker, body=clean_body, created_at=moment
        )
        _store(consultation, files, message)
        events.record(
            "consultation.opened",
            actor=asker,
            subject=consultation,
            office_id=office.pk,
            details={"topic": topic, "application": application.pk if application else None},
        )
        return consultation

    return idempotency.run_once(
        owner=owner,
        scope=OPEN_SCOPE,
        key=idempotency_key,
        write=ask,
        load=lambda pk: Consultation.objects.get(pk=pk),
    )


def _store(
    consultation: Consultation, files: list[tuple[InspectedFile, str]], message: ConsultationMessage
) -> None:
    threads.store_attachments(ConsultationAttachment, files, consultation=consultation, message=message)


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("office", "asker").get(pk=consultation.pk)


def _add_message(
    consultation: Consultation,
    *,
    actor: User,
    body: str,
    from_office: bool,
    seen_message_id: int | None,
    files: list[tuple[InspectedFile, str]],
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
    threads.check_seen(fresh.messages.all(), seen_message_id)
    message = ConsultationMessage.objects.create(
        consultation=fresh, author=actor, from_office=from_office, body=body, created_at=moment
    )
    _store(fresh, files, message)
    return fresh, message


def consultation_follow_up(
    *,
    consultation: Consultation,
    body: str,
    actor: User,
    seen_message_id: int | None = None,
    uploads: list[threads.Upload] | None = None,
    now: datetime | None = None,
    idempotency_key: str | None = None,
) -> ConsultationMessage:
    """The asker adds to their question; the office owes an answer again. The same
    ``idempotency_key`` again (the form sent twice) gives the first message, added once."""
    if consultation.asker_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    owner = idempotency.owner_of(actor)
    added = idempotency.first_result(owner=owner, scope=FOLLOW_UP_SCOPE, key=idempotency_key)
    if added is not None:
        return ConsultationMessage.objects.get(pk=added)
    clean_body = _message_body(body, actor)
    files = threads.inspect_uploads(uploads)
    moment = now or timezone.now()

    def add() -> ConsultationMessage:
        fresh, message = _add_message(
            consultation,
            actor=actor,
            body=clean_body,
            from_office=False,
            seen_message_id=seen_message_id,
            files=files,
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

    return idempotency.run_once(
        owner=owner,
        scope=FOLLOW_UP_SCOPE,
        key=idempotency_key,
        write=add,
        load=lambda pk: ConsultationMessage.objects.get(pk=pk),
    )


def consultation_answer(
    *,
    consultation: Consultation,
    body: str,
    actor: User,
    seen_message_id: int | None = None,
    uploads: list[threads.Upload] | None = None,
    now: datetime | None = None,
) -> ConsultationMessage:
    """An officer of the office answers; the asker is told (``ConsultationAnswered``)."""
    require_permission(actor, Perm.CONSULTATION_ANSWER, office_id=consultation.office_id)
    clean_body = _message_body(body, actor)
    files = threads.inspect_uploads(uploads)
    moment = now or timezone.now()
    with transaction.atomic():
        fresh, message = _add_message(
            consultation,
            actor=actor,
            body=clean_body,
            from_office=True,
            seen_message_id=seen_message_id,
            files=files,
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
        events.publish(ConsultationClosed(consultation=fresh, by="asker" if is_asker else "office"))
    return fresh


@transaction.atomic
def staff_read_record(*, consultation: Consultation, actor: User) -> None:
    """A staff read of a consultation (personal data) leaves a trace in the audit log."""
    require_permission(actor, Perm.CONSULTATION_VIEW, office_id=consultation.office_id)
    threads.record_staff_read(
        "consultation.viewed", actor=actor, subject=consultation, office_id=consultation.office_id
    )


@transaction.atomic
def staff_file_read_record(
    *, consultation: Consultation, attachment: ConsultationAttachment, actor: User
) -> None:
    """A staff read of a question's file (``threads.attachment_response``) is logged like the
    question's: only staff who may see the question open its files."""
    require_permission(actor, Perm.CONSULTATION_VIEW, office_id=consultation.office_id)
    if attachment.consultation_id != consultation.pk:
        raise NotFound()
    threads.record_staff_read(
        "consultation.attachment_viewed",
        actor=actor,
        subject=consultation,
        office_id=consultation.office_id,
        attachment=attachment,
    )


# --- Retention (UU PDP Pasal 44) -------------------------------------------------------------------


@transaction.atomic
def consultations_texts_erase(*, consultations: list[Consultation], actor: SystemActor) -> int:
    """A closed consultation past its retention period loses what people wrote (its subject and
    every message of the thread); what remains (reference, office, topic, dates, status) is what
    the office's figures count. The asker's account stays linked: it is theirs to erase."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied()
    ids = [c.pk for c in consultations if c.status == ConsultationStatus.CLOSED]
    if not ids:
        return 0
    threads.attachments_delete(ConsultationAttachment.objects.filter(consultation_id__in=ids))
    Consultation.objects.filter(pk__in=ids).update(subject="")
    ConsultationMessage.objects.filter(consultation_id__in=ids).update(body="")
    erased = list(Consultation.objects.filter(pk__in=ids).order_by("pk"))
    events.record_many(
        "consultation.texts_erased",
        actor=actor,
        subjects=[(c, c.office_id) for c in erased],
        details={"retention_years": threads.retention_years()},
    )
    return len(erased)
