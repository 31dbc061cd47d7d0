"""How the satisfaction app hears that a person was served: it invites them to rate it."""

from __future__ import annotations

from gerbang.applications.events import CaseMoved
from gerbang.applications.workflow import State
from gerbang.core.actors import WORKER
from gerbang.feedback.events import ConsultationClosed, ReportChanged
from gerbang.queueing.events import TicketCompleted
from gerbang.satisfaction.models import Occasion
from gerbang.satisfaction.services import invitation_open


def case_moved(event: CaseMoved) -> None:
    """A case collected: its applicant is asked about the whole service."""
    if event.transition.target != State.COLLECTED:
        return
    case = event.application
    invitation_open(
        occasion=Occasion.CASE,
        occasion_id=case.pk,
        person=case.applicant,
        office=case.office,
        service=case.service,
        served_at=event.at,
        actor=WORKER,
    )


def ticket_completed(event: TicketCompleted) -> None:
    """A visitor served at a counter: asked about the visit (on the ticket's page too, for a
    walk-in without an account)."""
    ticket = event.ticket
    case = ticket.application or (ticket.booking.application if ticket.booking else None)
    invitation_open(
        occasion=Occasion.VISIT,
        occasion_id=ticket.pk,
        person=case.applicant if case else None,
        office=ticket.office,
        service=case.service if case else None,
        served_at=event.at,
        actor=WORKER,
    )


def consultation_closed(event: ConsultationClosed) -> None:
    consultation = event.consultation
    case = consultation.application
    invitation_open(
        occasion=Occasion.CONSULTATION,
        occasion_id=consultation.pk,
        person=consultation.asker,
        office=consultation.office,
        service=case.service if case else None,
        served_at=consultation.closed_at or consultation.updated_at,
        actor=WORKER,
    )


def report_changed(event: ReportChanged) -> None:
    """A report closed: its reporter is asked how it was handled. An anonymous reporter has no
    account to be asked through (the code's follow page offers nothing to rate)."""
    report = event.report
    if event.code != "report.closed" or report.reporter is None:
        return
    case = report.application
    invitation_open(
        occasion=Occasion.REPORT,
        occasion_id=report.pk,
        person=report.reporter,
        office=report.office,
        service=case.service if case else None,
        served_at=report.closed_at or report.updated_at,
        actor=WORKER,
    )
