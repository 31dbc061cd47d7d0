"""What the feedback app tells the others: an office answered a question (a consultation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gerbang.core.events import DomainEvent, Message
from gerbang.feedback.models import Consultation, ConsultationMessage, Report


@dataclass(frozen=True, kw_only=True)
class ConsultationAnswered(DomainEvent):
    """``actor`` of the office answered ``consultation`` with ``answer`` (``late``: past the
    day the answer was due). The asker is told, once per answer."""

    consultation: Consultation
    answer: ConsultationMessage
    actor: Any
    late: bool

    def messages(self) -> Sequence[Message]:
        consultation = self.consultation
        return (
            Message(
                recipient=consultation.asker,
                kind="consultation.answered",
                dedup_key=f"consultation:{consultation.pk}:answer:{self.answer.pk}",
                context={"consultation_id": consultation.pk, "message_id": self.answer.pk},
            ),
        )


@dataclass(frozen=True, kw_only=True)
class ConsultationClosed(DomainEvent):
    """``consultation`` was closed: settled by its asker, or by the office (``by``: "asker" or
    "office")."""

    consultation: Consultation
    by: str


@dataclass(frozen=True, kw_only=True)
class ReportChanged(DomainEvent):
    """A step of ``report``'s life cycle (``code``, the event recorded as ``event_id``). The
    reporter is told (``tell``: a step they did not take themselves), when they have an account
    (an anonymous reporter follows it by code)."""

    report: Report
    code: str
    event_id: int
    tell: bool = True

    def messages(self) -> Sequence[Message]:
        report = self.report
        if report.reporter is None or not self.tell:
            return ()
        return (
            Message(
                recipient=report.reporter,
                kind="report.updated",
                dedup_key=f"report:{report.pk}:event:{self.event_id}",
                context={"report_id": report.pk, "code": self.code},
            ),
        )


@dataclass(frozen=True, kw_only=True)
class ReportEscalated(DomainEvent):
    """``report`` is overdue and went up to ``level`` (1: the office's supervisors, 2: the
    national unit); ``recipients`` are told. Nothing in it names the reporter."""

    report: Report
    level: int
    recipients: tuple[Any, ...]

    def messages(self) -> Sequence[Message]:
        return tuple(
            Message(
                recipient=person,
                kind="report.escalated",
                dedup_key=f"report:{self.report.pk}:escalated:{self.level}:{person.pk}",
                context={"report_id": self.report.pk, "level": self.level},
            )
            for person in self.recipients
        )
