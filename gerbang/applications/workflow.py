"""The case workflow: every state, every allowed transition, who may make it and its guard.

This table is the only place that decides how a case moves (DESIGN convention 5). Services
look an action up here, check the actor's role and the guard, then write the new state and the
timeline event and publish ``events.CaseMoved``, all in one transaction (``services.moves._move``).

What happens when a case moves, besides its own row and timeline, is done by the apps that own
it, each subscribed in its own ``apps.py`` and running in the same transaction:
- notifications writes the applicant's message when the row says ``notify_applicant``
  (its words: the kinds in ``applications/messages.py`` and ``payments/messages.py``);
- payments issues the bill when the case comes to ``AWAITING_PAYMENT`` and closes open bills
  when it leaves that state cancelled or expired;
- appointments ends the bookings of visits the case no longer needs (``VISIT_NEEDED`` below):
  done when the row ``completes_visit``, otherwise cancelled, their place given back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.core import formatting

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from gerbang.applications.models import Application


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    AWAITING_EXTERNAL_CHECK = "awaiting_external_check", _("Being checked with other agencies")
    IN_VERIFICATION = "in_verification", _("Documents being verified")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    AWAITING_APPOINTMENT = "awaiting_appointment", _("Awaiting interview and biometrics")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


# States after which nothing more happens to a case.
FINAL_STATES = frozenset({State.COLLECTED, State.CANCELLED, State.EXPIRED, State.REJECTED})
# "Open": submitted and not finished. The one definition the dashboard's count and the work
# queue's "open" filter both use.
OPEN_STATES = frozenset(set(State) - FINAL_STATES - {State.DRAFT})
# States in which the office owes the applicant a decision within the service standard.
OPEN_AT_OFFICE = frozenset(
    {
        State.PAID,
        State.AWAITING_EXTERNAL_CHECK,
        State.IN_VERIFICATION,
        State.AWAITING_APPOINTMENT,
        State.IN_REVIEW,
    }
)


class Visit(StrEnum):
    """Why a case needs its applicant at the office."""

    INTERVIEW = "interview"
    PICKUP = "pickup"


# The states in which a case waits for a visit, and what for; a booking for any other visit
# ends when the case moves (appointments books and ends them).
VISIT_NEEDED: dict[State, Visit] = {
    State.AWAITING_APPOINTMENT: Visit.INTERVIEW,
    State.READY_FOR_PICKUP: Visit.PICKUP,
}


class Actor(StrEnum):
    """Who makes a transition: the case's own applicant, staff of its office, or the system."""

    APPLICANT = "applicant"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


class Action(StrEnum):
    SUBMIT = "submit"
    ISSUE_BILL = "issue_bill"
    RECORD_PAYMENT = "record_payment"
    EXPIRE = "expire"
    REISSUE_BILL = "reissue_bill"
    CANCEL = "cancel"
    AWAIT_CHECKS = "await_checks"
    CHECKS_DONE = "checks_done"
    START_VERIFICATION = "start_verification"
    REQUEST_CORRECTION = "request_correction"
    RESUBMIT = "resubmit"
    SEND_TO_INTERVIEW = "send_to_interview"
    SEND_TO_REVIEW = "send_to_review"
    COMPLETE_INTERVIEW = "complete_interview"
    APPROVE = "approve"
    REJECT = "reject"
    MARK_READY = "mark_ready"
    MARK_COLLECTED = "mark_collected"
    REVERSE_DECISION = "reverse_decision"


Guard = Callable[["Application"], "str | Promise | None"]

# What the actor is told when a transition's reason or reason code is missing: the service says
# it and the officer's form says it, from the same flags of the table.
REASON_MISSING = _("Give the reason; the applicant will read it.")
REASON_CODE_MISSING = _("Choose the reason for the refusal.")


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State
    actors: frozenset[Actor]
    label: str | Promise
    # Returns why the transition cannot happen now, or None when it can.
    guard: Guard | None = None
    # Free-text reason required from the actor (shown on the applicant's timeline).
    needs_reason: bool = False
    # A reason code (``RejectionReason``) required from the actor.
    needs_reason_code: bool = False
    # Whether the case's applicant is told (an outbox row); internal steps are not.
    notify_applicant: bool = True
    # Whether taking it means the visit the case was waiting for took place (its booking is
    # then done, not cancelled, whatever time it was booked for).
    completes_visit: bool = False
    # Taken only through its own service, which does more than the move (a submission, a bill,
    # a payment, corrections): never as a plain move from the officer's buttons.
    own_service: bool = False


# --- Guards: each returns a message saying what is missing, or None -------------------------


def _all_documents_verified(application: Application) -> str | Promise | None:
    if application.documents.filter(is_current=True).exclude(status="verified").exists():
        return _("Every document must be verified first.")
    return None


def _visit_needed(application: Application) -> str | Promise | None:
    if not application.service.office_visit_required:
        return _("This service needs no office visit; send the case to review instead.")
    return _all_documents_verified(application)


def _no_visit_needed(application: Application) -> str | Promise | None:
    if application.service.office_visit_required:
        return _("This service needs an interview; send the case to interview first.")
    return _all_documents_verified(application)


def _visit_not_ahead(application: Application) -> str | Promise | None:
    """The visit is recorded when the person has come: not while their appointment for it is
    on a later day (a walk-in without a booking, or one checked in, is fine)."""
    booking = application.bookings.filter(status="confirmed").select_related("slot__office").first()
    if booking is None:
        return None
    zone = ZoneInfo(booking.slot.office.time_zone)
    if booking.slot.day > timezone.localtime(timezone.now(), zone).date():
        return _(
            "The applicant's appointment for this visit is on %(day)s; record it when they have come "
            "(on that day, or earlier if they checked in at the office)."
        ) % {"day": formatting.weekday(booking.slot.day)}
    return None


def _has_open_corrections(application: Application) -> str | Promise | None:
    if not application.corrections.filter(resolved_at__isnull=True).exists():
        return _("Name at least one document or field to correct.")
    return None


def _corrections_addressed(application: Application) -> str | Promise | None:
    if application.corrections.filter(resolved_at__isnull=True, addressed_at__isnull=True).exists():
        return _("Fix every item the officer asked about before sending the application back.")
    return None


# Other apps may hold a case's approval: each hold returns why the case may not be approved
# now (an unresolved watch-list hit, say), or None. They register themselves when they start
# (``register_approval_hold``), so the workflow asks them without knowing them.
_APPROVAL_HOLDS: list[Guard] = []


def register_approval_hold(hold: Guard) -> None:
    if hold not in _APPROVAL_HOLDS:
        _APPROVAL_HOLDS.append(hold)


def _no_approval_hold(application: Application) -> str | Promise | None:
    for hold in _APPROVAL_HOLDS:
        problem = hold(application)
        if problem:
            return problem
    return None


def _payment_deadline_passed(application: Application) -> str | Promise | None:
    if application.payment_due_at is None or application.payment_due_at > timezone.now():
        return _("The payment deadline has not passed yet.")
    return None


def _payment_recorded(application: Application) -> str | Promise | None:
    if not application.payments.exists():
        return _("Record the payment first.")
    return None


def _nothing_paid(application: Application) -> str | Promise | None:
    if application.payments.exists():
        return _("A payment was already received for this application; the office will contact you.")
    return None


STAFF = frozenset({Actor.OFFICER, Actor.SUPERVISOR})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Action.SUBMIT,
        frozenset({State.DRAFT}),
        State.SUBMITTED,
        frozenset({Actor.APPLICANT}),
        _("Submit the application"),
        own_service=True,
    ),
    Transition(
        Action.ISSUE_BILL,
        frozenset({State.SUBMITTED}),
        State.AWAITING_PAYMENT,
        frozenset({Actor.SYSTEM}),
        _("Issue the bill"),
        own_service=True,
    ),
    Transition(
        Action.RECORD_PAYMENT,
        frozenset({State.AWAITING_PAYMENT}),
        State.PAID,
        STAFF | {Actor.SYSTEM},
        _("Record the payment"),
        guard=_payment_recorded,
        own_service=True,
    ),
    Transition(
        Action.EXPIRE,
        frozenset({State.AWAITING_PAYMENT}),
        State.EXPIRED,
        frozenset({Actor.SYSTEM}),
        _("Expire the unpaid application"),
        guard=_payment_deadline_passed,
        own_service=True,
    ),
    Transition(
        Action.REISSUE_BILL,
        frozenset({State.EXPIRED}),
        State.AWAITING_PAYMENT,
        frozenset({Actor.APPLICANT}),
        _("Ask for a new bill"),
        guard=_nothing_paid,
        own_service=True,
    ),
    Transition(
        Action.CANCEL,
        frozenset({State.DRAFT, State.SUBMITTED, State.AWAITING_PAYMENT, State.CORRECTION_REQUESTED}),
        State.CANCELLED,
        frozenset({Actor.APPLICANT}),
        _("Cancel the application"),
        own_service=True,
    ),
    # Checks with partner agencies (the civil registry, watch lists, the foreign ministry), when
    # the service needs any and an agency answers them: asked when the fee is paid; the case
    # waits, visibly, until every one is answered or, when a partner stays down, an officer
    # records a manual verification with a reason (``integrations`` asks and moves the case).
    Transition(
        Action.AWAIT_CHECKS,
        frozenset({State.PAID}),
        State.AWAITING_EXTERNAL_CHECK,
        frozenset({Actor.SYSTEM}),
        _("Ask the partner agencies"),
        notify_applicant=False,
        own_service=True,
    ),
    Transition(
        Action.CHECKS_DONE,
        frozenset({State.AWAITING_EXTERNAL_CHECK}),
        State.PAID,
        # The system, when the last check is answered or verified by an officer (whose own
        # verification is its own event): never a button of its own.
        frozenset({Actor.SYSTEM}),
        _("Checks with partner agencies done"),
        notify_applicant=False,
        own_service=True,
    ),
    Transition(
        Action.START_VERIFICATION,
        frozenset({State.PAID}),
        State.IN_VERIFICATION,
        STAFF,
        _("Start verification"),
        notify_applicant=False,
    ),
    Transition(
        Action.REQUEST_CORRECTION,
        frozenset({State.IN_VERIFICATION}),
        State.CORRECTION_REQUESTED,
        STAFF,
        _("Request corrections"),
        guard=_has_open_corrections,
        own_service=True,
    ),
    Transition(
        Action.RESUBMIT,
        frozenset({State.CORRECTION_REQUESTED}),
        State.IN_VERIFICATION,
        frozenset({Actor.APPLICANT}),
        _("Send the corrections"),
        guard=_corrections_addressed,
        own_service=True,
    ),
    Transition(
        Action.SEND_TO_INTERVIEW,
        frozenset({State.IN_VERIFICATION}),
        State.AWAITING_APPOINTMENT,
        STAFF,
        _("Documents complete: invite to interview"),
        guard=_visit_needed,
    ),
    Transition(
        Action.SEND_TO_REVIEW,
        frozenset({State.IN_VERIFICATION}),
        State.IN_REVIEW,
        STAFF,
        _("Documents complete: send to review"),
        guard=_no_visit_needed,
    ),
    Transition(
        Action.COMPLETE_INTERVIEW,
        frozenset({State.AWAITING_APPOINTMENT}),
        State.IN_REVIEW,
        STAFF,
        _("Interview and biometrics done"),
        guard=_visit_not_ahead,
        completes_visit=True,
    ),
    Transition(
        Action.APPROVE,
        frozenset({State.IN_REVIEW}),
        State.APPROVED,
        STAFF,
        _("Approve"),
        guard=_no_approval_hold,
    ),
    Transition(
        Action.REJECT,
        frozenset({State.IN_VERIFICATION, State.AWAITING_APPOINTMENT, State.IN_REVIEW}),
        State.REJECTED,
        STAFF,
        _("Reject"),
        needs_reason=True,
        needs_reason_code=True,
    ),
    Transition(
        Action.MARK_READY,
        frozenset({State.APPROVED}),
        State.READY_FOR_PICKUP,
        STAFF,
        _("Ready for pickup"),
    ),
    Transition(
        Action.MARK_COLLECTED,
        frozenset({State.READY_FOR_PICKUP}),
        State.COLLECTED,
        STAFF,
        _("Collected by the applicant"),
        guard=_visit_not_ahead,
        completes_visit=True,
    ),
    Transition(
        Action.REVERSE_DECISION,
        frozenset({State.APPROVED, State.REJECTED}),
        State.IN_REVIEW,
        frozenset({Actor.SUPERVISOR}),
        _("Reverse the decision"),
        needs_reason=True,
    ),
)

BY_ACTION: dict[Action, Transition] = {t.action: t for t in TRANSITIONS}


class RejectionReason(models.TextChoices):
    """Reason codes for a refusal; the officer adds a text, the code is shown translated."""

    DOCUMENTS_INVALID = "documents_invalid", _("The documents are not valid or not genuine")
    DATA_MISMATCH = "data_mismatch", _("The data in the application and the documents do not match")
    NOT_ELIGIBLE = "not_eligible", _("The applicant does not meet the conditions of the service")
    INTERVIEW = "interview", _("The interview did not confirm the application")
    NO_SHOW = "no_show", _("The applicant did not come to the interview")
    LEGAL_BAR = "legal_bar", _("A legal restriction prevents issuing the document")
    OTHER = "other", _("Another reason (see the explanation)")


def transition_for(action: Action | str) -> Transition:
    return BY_ACTION[Action(action)]


def actions_from(state: State | str) -> list[Transition]:
    return [t for t in TRANSITIONS if State(state) in t.sources]


def allowed(action: Action | str, *, state: State | str, actor: Actor) -> bool:
    """Whether the table lets ``actor`` take ``action`` from ``state`` (guards aside)."""
    transition = BY_ACTION.get(Action(action))
    return transition is not None and State(state) in transition.sources and actor in transition.actors


def table_snapshot() -> list[dict[str, Any]]:
    """The table as plain data, for the snapshot test and the documentation."""
    return [
        {
            "action": t.action.value,
            "from": sorted(s.value for s in t.sources),
            "to": t.target.value,
            "by": sorted(a.value for a in t.actors),
            "guard": t.guard.__name__ if t.guard else None,
            "needs_reason": t.needs_reason,
            "needs_reason_code": t.needs_reason_code,
            "notify_applicant": t.notify_applicant,
            "completes_visit": t.completes_visit,
            "own_service": t.own_service,
        }
        for t in TRANSITIONS
    ]
