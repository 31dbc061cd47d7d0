"""How the IKM hears that a person was served: each occasion counts once in the population of
its office, service and month (``services.served_count``), with or without an account, invited
or not. The office, the service and the moment are read as the satisfaction app reads them for
its invitation, so an answer and its occasion are grouped alike."""

from __future__ import annotations

from gerbang.applications.events import CaseMoved
from gerbang.applications.workflow import State
from gerbang.core.actors import WORKER
from gerbang.feedback.events import ConsultationClosed, ReportChanged
from gerbang.ikm.services import served_count
from gerbang.queueing.events import TicketCompleted
from gerbang.satisfaction.models import Occasion


def case_moved(event: CaseMoved) -> None:
    """A case collected (whoever collected it)."""
    if event.transition.target != State.COLLECTED:
        return
    case = event.application
    served_count(
        occasion=Occasion.CASE,
        occasion_id=case.pk,
        office_id=case.office_id,
        service_id=case.service_id,
        served_at=event.at,
        actor=WORKER,
    )


def ticket_completed(event: TicketCompleted) -> None:
    """A visitor served at a counter: booked or a walk-in, with a case or none."""
    ticket = event.ticket
    case = ticket.application or (ticket.booking.application if ticket.booking else None)
    served_count(
        occasion=Occasion.VISIT,
        occasion_id=ticket.pk,
        office_id=ticket.office_id,
        service_id=case.service_id if case else None,
        served_at=event.at,
        actor=WORKER,
    )


def consultation_closed(event: ConsultationClosed) -> None:
    consultation = event.consultation
    case = consultation.application
    served_count(
        occasion=Occasion.CONSULTATION,
        occasion_id=consultation.pk,
        office_id=consultation.office_id,
        service_id=case.service_id if case else None,
        served_at=consultation.closed_at or consultation.updated_at,
        actor=WORKER,
    )


def report_changed(event: ReportChanged) -> None:
    """A report closed, an anonymous one too (its reporter cannot be asked, but was served)."""
    if event.code != "report.closed":
        return
    report = event.report
    case = report.application
    served_count(
        occasion=Occasion.REPORT,
        occasion_id=report.pk,
        office_id=report.office_id,
        service_id=case.service_id if case else None,
        served_at=report.closed_at or report.updated_at,
        actor=WORKER,
    )
