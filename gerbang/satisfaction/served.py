"""When a person counts as served, read from the events of the apps that serve them: a case
collected, a visit completed at a counter, a question or a report closed. One reading, shared by
whoever reacts to it (the invitation to rate here, the IKM's population), so that an answer and
its occasion are grouped by the same office, service and moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gerbang.applications.events import CaseMoved
from gerbang.applications.workflow import State
from gerbang.catalog.models import Office, Service
from gerbang.core.events import DomainEvent
from gerbang.feedback.events import ConsultationClosed, ReportChanged
from gerbang.queueing.events import TicketCompleted
from gerbang.satisfaction.models import Occasion

# The events that can mark an occasion served (each app subscribes its handler to all of them).
SERVING_EVENTS: tuple[type[DomainEvent], ...] = (
    CaseMoved,
    TicketCompleted,
    ConsultationClosed,
    ReportChanged,
)


@dataclass(frozen=True)
class Served:
    occasion: Occasion
    occasion_id: int
    # Who can be asked about it; None when nobody can (a walk-in without a case, an anonymous
    # reporter).
    person: Any
    office: Office | None
    service: Service | None
    served_at: datetime


def served_by(event: DomainEvent) -> Served | None:
    """The occasion ``event`` marks served, or None when it marks none (nor ever at the
    training office: its synthetic people are not asked, and it counts in no figure)."""
    served = _served_by(event)
    if served is None or (served.office is not None and served.office.is_training):
        return None
    return served


def _served_by(event: DomainEvent) -> Served | None:
    if isinstance(event, CaseMoved):
        if event.transition.target != State.COLLECTED:
            return None
        collected = event.application
        return Served(
            Occasion.CASE,
            collected.pk,
            collected.applicant,
            collected.office,
            collected.service,
            event.at,
        )
    if isinstance(event, TicketCompleted):
        # Booked or a walk-in, with a case or none.
        ticket = event.ticket
        case = ticket.application or (ticket.booking.application if ticket.booking else None)
        return Served(
            Occasion.VISIT,
            ticket.pk,
            case.applicant if case else None,
            ticket.office,
            case.service if case else None,
            event.at,
        )
    if isinstance(event, ConsultationClosed):
        consultation = event.consultation
        case = consultation.application
        return Served(
            Occasion.CONSULTATION,
            consultation.pk,
            consultation.asker,
            consultation.office,
            case.service if case else None,
            consultation.closed_at or consultation.updated_at,
        )
    if isinstance(event, ReportChanged):
        if event.code != "report.closed":
            return None
        report = event.report
        case = report.application
        return Served(
            Occasion.REPORT,
            report.pk,
            report.reporter,
            report.office,
            case.service if case else None,
            report.closed_at or report.updated_at,
        )
    return None
