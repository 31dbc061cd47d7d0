"""A case's history, read from the event stream, in words for the applicant or for staff."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from gerbang.applications.models import Application
from gerbang.applications.workflow import RejectionReason, State
from gerbang.core import event_text, events
from gerbang.core.bilingual import active_language
from gerbang.core.models import Event

if TYPE_CHECKING:
    from django.utils.functional import Promise


SUBJECT_TYPE = "applications.application"
ENTERED_BY = gettext_lazy("Entered by officer %(officer)s on behalf of the applicant.")
ENTERED_AT_OFFICE = gettext_lazy("Entered by an officer at the office on your behalf.")
NOTE_ERASED = gettext_lazy("The explanation was erased when its retention period ended.")


# What each step of the timeline means, in words for the applicant.
TIMELINE_TEXT: dict[str, str | Promise] = {
    "appointment.booked": gettext_lazy("Appointment booked."),
    "appointment.rescheduled": gettext_lazy("Appointment moved to another time."),
    "appointment.cancelled": gettext_lazy("Appointment cancelled."),
    "appointment.moved": gettext_lazy(
        "The office moved the appointment: it cannot receive visitors at that time."
    ),
    "appointment.cancelled_by_office": gettext_lazy(
        "The office cancelled the appointment: it cannot receive visitors at that time."
    ),
    "queue.checked_in": gettext_lazy("Checked in at the office; waiting to be called."),
    "application.created": gettext_lazy("Application started (draft)."),
    "application.submit": gettext_lazy("Application submitted."),
    "application.issue_bill": gettext_lazy("Bill issued; the fee is to be paid."),
    "application.record_payment": gettext_lazy("Payment received."),
    "application.expire": gettext_lazy("The application expired because the fee was not paid in time."),
    "application.cancel": gettext_lazy("Application cancelled."),
    "application.await_checks": gettext_lazy(
        "Your identity is being checked with other agencies (such as the civil registry)."
    ),
    "application.checks_done": gettext_lazy(
        "The checks with other agencies are done; an officer will check your documents next."
    ),
    "application.start_verification": gettext_lazy("An officer started checking the documents."),
    "application.request_correction": gettext_lazy("The officer asked for corrections."),
    "application.answers_corrected": gettext_lazy("Answers corrected."),
    "application.document_uploaded": gettext_lazy("Corrected document uploaded."),
    "application.resubmit": gettext_lazy("Corrections sent back to the office."),
    "application.send_to_interview": gettext_lazy(
        "Documents complete; an interview and biometrics are needed."
    ),
    "application.send_to_review": gettext_lazy("Documents complete; the application is being reviewed."),
    "application.complete_interview": gettext_lazy("Interview and biometrics done."),
    "application.approve": gettext_lazy("Application approved."),
    "application.reject": gettext_lazy("Application refused."),
    "application.mark_ready": gettext_lazy("The document is ready for pickup."),
    "application.mark_collected": gettext_lazy("The document was collected."),
    "application.reverse_decision": gettext_lazy(
        "The decision was withdrawn; the application is reviewed again."
    ),
    "application.taken_over": gettext_lazy("You took the application over online."),
}


# Entries only staff see (and the upload of a document before submission).
STAFF_TIMELINE_TEXT: dict[str, str | Promise] = {
    "application.await_checks": gettext_lazy(
        "Checks asked of the partner agencies; the case waits for them."
    ),
    "application.checks_done": gettext_lazy(
        "Every check with the partner agencies answered or verified; the case waits for its officer."
    ),
    "application.document_uploaded": gettext_lazy("Document uploaded."),
    "application.document_verified": gettext_lazy("Document verified."),
    "application.assigned": gettext_lazy("Assignment changed."),
    "application.case_viewed": gettext_lazy("Case opened (read logged)."),
    "application.document_viewed": gettext_lazy("Document opened (read logged)."),
    "application.personal_data_erased": gettext_lazy(
        "Personal data erased (answers and documents' files): its retention period ended or the "
        "person asked for erasure."
    ),
    "application.draft_deleted": gettext_lazy("Draft deleted with its documents (erasure of personal data)."),
    "application.assisted_consent_recorded": gettext_lazy(
        "The person's consent to an assisted application recorded."
    ),
    "application.assisted_step_saved": gettext_lazy("Answers entered."),
    "application.takeover_code_issued": gettext_lazy("Take-over code issued and sent by SMS."),
    "application.taken_over": gettext_lazy("The person took the application over online."),
    "appointment.personal_data_erased": gettext_lazy(
        "Why the visitor had priority was erased from a booking (its retention period ended)."
    ),
}


@dataclass
class TimelineEntry:
    at: datetime
    code: str
    text: str
    reason: str
    state: str
    by_staff: bool
    event_id: int | None = None
    # What other apps add under this step (core.marks, TIMELINE_EVENTS), set by the view.
    marks: list[Any] = field(default_factory=list)


READ_CODES = ("application.case_viewed", "application.document_viewed")


def timeline(application: Application, *, for_staff: bool = False) -> list[TimelineEntry]:
    """The case's history from the event stream; the public part unless ``for_staff``."""
    # Staff reads of personal data are kept for the audit log, not shown as the case's history
    # (every opening of the page would otherwise bury what happened to the case).
    rows = (
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id=str(application.pk))
        .exclude(code__in=READ_CODES)
        .select_related("actor", "note")
    )
    return _timeline_of(application, rows.order_by("created_at", "id"), for_staff=for_staff)


def _reasons(event: Event) -> list[str]:
    details = event.details or {}
    parts = []
    code = details.get("reason_code")
    if code and code in RejectionReason.values:
        parts.append(str(RejectionReason(code).label))
    # A reason given in both languages (an office's closure or notice) is read in the reader's;
    # an officer's explanation is the event's note (in the details in events before notes).
    note = events.note_of(event)
    reason = details.get(f"reason_{active_language()}") or note or details.get("reason")
    if reason:
        parts.append(str(reason))
    elif note is None:
        parts.append(str(NOTE_ERASED))
    return parts


def _timeline_of(
    application: Application, rows: Iterable[Event], *, for_staff: bool, reasons: bool = True
) -> list[TimelineEntry]:
    """The entries of the events ``rows``; without their reasons unless ``reasons`` (which reads the
    events' notes: load them with ``select_related("note")``)."""
    entries: list[TimelineEntry] = []
    for event in rows:
        details = event.details or {}
        if not for_staff and not details.get("public"):
            continue
        reason_parts = _reasons(event) if reasons else []
        if details.get("public"):
            text = str(TIMELINE_TEXT.get(event.code, event.code))
        else:
            known = STAFF_TIMELINE_TEXT.get(event.code) or TIMELINE_TEXT.get(event.code)
            # Other apps' events on the case (a check with a partner agency, a face check) are
            # told by the sentence they registered (``core.event_text``).
            text = str(known) if known else event_text.describe(event.code, details)
        if details.get("on_behalf"):
            # An officer entered this step for the person (an assisted application).
            text = (
                f"{text} {ENTERED_BY % {'officer': event.actor}}"
                if for_staff and event.actor is not None
                else f"{text} {ENTERED_AT_OFFICE}"
            )
        elif for_staff and event.actor is not None:
            text = f"{text} ({event.actor})"
        entries.append(
            TimelineEntry(
                at=event.created_at,
                code=event.code,
                text=text,
                reason=" — ".join(reason_parts),
                state=str(State(details["to"]).label) if details.get("to") in State.values else "",
                by_staff=event.actor_id is not None and event.actor_id != application.applicant_id,
                event_id=event.pk,
            )
        )
    return entries
