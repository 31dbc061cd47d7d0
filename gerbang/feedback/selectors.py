"""Reading consultations: the asker's own, and the ones an officer's offices received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.catalog.models import Office
from gerbang.feedback import threads
from gerbang.feedback.models import (
    Consultation,
    ConsultationAttachment,
    ConsultationMessage,
    ConsultationStatus,
)

OPEN = (ConsultationStatus.WAITING, ConsultationStatus.ANSWERED)


def consultations_of(user: Any) -> QuerySet[Consultation]:
    return Consultation.objects.filter(asker=user).select_related("office", "application")


def consultation_of(user: Any, pk: int) -> Consultation | None:
    return consultations_of(user).filter(pk=pk).first()


def messages_of(consultation: Consultation) -> list[ConsultationMessage]:
    return list(consultation.messages.select_related("author").prefetch_related("attachments"))


def attachments_of(consultation: Consultation) -> QuerySet[ConsultationAttachment]:
    return consultation.attachments.all()


def latest_message_id(messages: list[ConsultationMessage]) -> int:
    return messages[-1].pk if messages else 0


def consultations_for_staff(
    user: Any, *, status: str = "waiting", office_id: int | None = None
) -> QuerySet[Consultation]:
    """The consultations of the offices ``user`` may see; waiting ones by due date, oldest first."""
    if not has_permission(user, Perm.CONSULTATION_VIEW):
        return Consultation.objects.none()
    rows = scope_to_offices(Consultation.objects.select_related("office", "asker", "application"), user)
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    if status == "open":
        rows = rows.filter(status__in=OPEN)
    elif status in ConsultationStatus.values:
        rows = rows.filter(status=status)
    if status == ConsultationStatus.WAITING:
        return rows.order_by("answer_due", "waiting_since", "id")
    return rows.order_by("-updated_at", "-id")


def consultation_for_staff(user: Any, pk: int) -> Consultation | None:
    return consultations_for_staff(user, status="all").filter(pk=pk).first()


def is_overdue(consultation: Consultation, now: Any = None) -> bool:
    return consultation.status == ConsultationStatus.WAITING and threads.is_overdue(
        consultation.office, consultation.answer_due, now
    )


@dataclass(frozen=True)
class WaitingCounts:
    waiting: int
    overdue: int


def waiting_counts(user: Any) -> WaitingCounts:
    """How many questions the user's offices owe an answer to, and how many of them are late.

    "Late" compares with today's date on the server; the list itself marks each row by its
    office's own date, which differs only around midnight across time zones."""
    rows = consultations_for_staff(user, status=ConsultationStatus.WAITING)
    today = timezone.localdate()
    counts = rows.aggregate(waiting=Count("id"), overdue=Count("id", filter=Q(answer_due__lt=today)))
    return WaitingCounts(waiting=counts["waiting"] or 0, overdue=counts["overdue"] or 0)


def answer_due(office: Office, since: datetime) -> Any:
    return threads.due_after(office, since, settings.CONSULTATION_ANSWER_DAYS)


def consultations_past_retention(now: datetime) -> QuerySet[Consultation]:
    """Closed consultations whose retention period has ended and whose texts are still there."""
    return Consultation.objects.filter(
        status=ConsultationStatus.CLOSED, closed_at__lt=threads.retention_cutoff(now)
    ).exclude(subject="")
