"""Reading applications: the applicant's own, the office's work queue, timelines, the next
thing to do, public tracking and the office's numbers."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.accounts.models import Role, User
from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.applications import checks, numbers
from gerbang.applications.answers import is_shown
from gerbang.applications.formspec import FORMS
from gerbang.applications.models import Application, CheckResult, Correction, CorrectionTarget, Document
from gerbang.applications.services import actor_of, tracking_key
from gerbang.applications.slots import Slot, document_slots
from gerbang.applications.workflow import (
    OPEN_AT_OFFICE,
    OPEN_STATES,
    VISIT_NEEDED,
    Action,
    RejectionReason,
    State,
    actions_from,
)
from gerbang.core.bilingual import active_language
from gerbang.core.exceptions import RateLimited
from gerbang.core.formatting import moment, rupiah
from gerbang.core.models import Event
from gerbang.core.prepared import PreparedRead
from gerbang.core.ratelimit import Limit, enforce

if TYPE_CHECKING:
    from django.utils.functional import Promise

SUBJECT_TYPE = "applications.application"
# Public tracking: per address and per number, so guessing birth dates gets nowhere.
TRACK_PER_IP = Limit("track-ip", 20, 60 * 10)
TRACK_PER_NUMBER = Limit("track-number", 10, 60 * 60)
# A case is "near due" when its decision is due within this many calendar days.
NEAR_DUE_DAYS = 2

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
}
# Entries only staff see (and the upload of a document before submission).
STAFF_TIMELINE_TEXT: dict[str, str | Promise] = {
    "application.document_uploaded": gettext_lazy("Document uploaded."),
    "application.document_verified": gettext_lazy("Document verified."),
    "application.assigned": gettext_lazy("Assignment changed."),
    "application.case_viewed": gettext_lazy("Case opened (read logged)."),
    "application.document_viewed": gettext_lazy("Document opened (read logged)."),
}


# --- The applicant ----------------------------------------------------------------------------


def applications_of(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("office", "service")


# Every page and API call about one's own case starts here: compiled once (gerbang.core.prepared).
_own_case = PreparedRead(
    lambda applicant_id, pk: Application.objects.filter(applicant_id=applicant_id, pk=pk).select_related(
        "office", "service"
    ),
    int,
    int,
)


# A booking attempt reads its case on every try, and a rush is thousands of tries: only what
# booking uses (not the answers, personal data decrypted for nothing, nor the office's and the
# service's texts). Whatever else is used after all is read then (the ORM's deferred fields).
_own_case_to_book = PreparedRead(
    lambda applicant_id, pk: (
        Application.objects.filter(applicant_id=applicant_id, pk=pk)
        .select_related("office", "service")
        .only(
            "number",
            "applicant_id",
            "for_child",
            "form_key",
            "state",
            "version",
            "submitted_at",
            "due_date",
            "office__code",
            "office__name_id",
            "office__name_en",
            "office__time_zone",
            "office__is_active",
            "service__code",
            "service__category",
            "service__name_id",
            "service__name_en",
            "service__office_visit_required",
            "service__is_active",
        )
    ),
    int,
    int,
)


def application_of(user: Any, pk: int, *, to_book: bool = False) -> Application | None:
    """The user's own case ``pk``, or None; ``to_book``: read as an appointment needs it."""
    if user.pk is None:
        return None
    return (_own_case_to_book if to_book else _own_case).first(int(user.pk), int(pk))


@dataclass
class TimelineEntry:
    at: datetime
    code: str
    text: str
    reason: str
    state: str
    by_staff: bool


READ_CODES = ("application.case_viewed", "application.document_viewed")


def timeline(application: Application, *, for_staff: bool = False) -> list[TimelineEntry]:
    """The case's history from the event stream; the public part unless ``for_staff``."""
    # Staff reads of personal data are kept for the audit log, not shown as the case's history
    # (every opening of the page would otherwise bury what happened to the case).
    rows = (
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id=str(application.pk))
        .exclude(code__in=READ_CODES)
        .select_related("actor")
    )
    return _timeline_of(application, rows.order_by("created_at", "id"), for_staff=for_staff)


def _timeline_of(
    application: Application, events: Iterable[Event], *, for_staff: bool
) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for event in events:
        details = event.details or {}
        if not for_staff and not details.get("public"):
            continue
        reason_parts = []
        code = details.get("reason_code")
        if code and code in RejectionReason.values:
            reason_parts.append(str(RejectionReason(code).label))
        # A reason given in both languages (an office's closure or notice) is read in the reader's.
        reason = details.get(f"reason_{active_language()}") or details.get("reason")
        if reason:
            reason_parts.append(reason)
        if details.get("public"):
            text = str(TIMELINE_TEXT.get(event.code, event.code))
        else:
            text = str(STAFF_TIMELINE_TEXT.get(event.code) or TIMELINE_TEXT.get(event.code, event.code))
        if for_staff and event.actor is not None:
            text = f"{text} ({event.actor})"
        entries.append(
            TimelineEntry(
                at=event.created_at,
                code=event.code,
                text=text,
                reason=" — ".join(reason_parts),
                state=str(State(details["to"]).label) if details.get("to") in State.values else "",
                by_staff=event.actor_id is not None and event.actor_id != application.applicant_id,
            )
        )
    return entries


# What the applicant must do, in a few words (the cards of the dashboard and of the list).
NEXT_STEP_LABELS: dict[str, str | Promise] = {
    "form": gettext_lazy("Finish and submit"),
    "pay": gettext_lazy("Payment due"),
    "corrections": gettext_lazy("Corrections requested"),
    "book": gettext_lazy("Booking needed"),
    "appointment": gettext_lazy("Come to your appointment"),
    "ticket": gettext_lazy("Follow your turn"),
}


@dataclass
class NextStep:
    text: str
    # Where the applicant does it: "form", "pay", "book", "appointment", "ticket", "corrections"
    # or "" (nothing to click).
    where: str
    # The on-site ticket to follow ("ticket").
    token: str = ""
    # The step in a few words, for a card or a list ("Payment due"); by default from ``where``.
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            self.label = str(NEXT_STEP_LABELS.get(self.where, ""))


@dataclass
class Card:
    """One of the applicant's applications as a card: the case and what they must do now."""

    application: Application
    next_step: NextStep | None


def application_cards(user: Any) -> list[Card]:
    return [Card(application, next_step(application)) for application in applications_of(user)]


# What a case waiting for a visit asks of its applicant (book, come, follow the ticket) is told by
# the app that books visits: appointments hands its teller over when it is ready.
VisitStep = Callable[[Application], NextStep]
_visit_step: VisitStep | None = None


def visit_steps_from(teller: VisitStep) -> None:
    """Called once, when the appointments app is ready."""
    global _visit_step
    _visit_step = teller


def next_step(application: Application) -> NextStep | None:
    """The one thing the applicant must do now, in plain words; None when it is the office's turn."""
    state = application.state
    if state == State.DRAFT:
        return NextStep(_("Finish the form, upload the documents and submit the application."), "form")
    if state == State.AWAITING_PAYMENT:
        return NextStep(
            _("Pay the fee of %(amount)s before %(deadline)s, with the billing code or QRIS.")
            % {
                "amount": rupiah(application.fee or 0),
                "deadline": moment(application.payment_due_at, application.office),
            },
            "pay",
        )
    if state == State.EXPIRED and not application.payments.exists():
        return NextStep(
            _("The fee was not paid in time. Ask for a new bill to go on with this application."),
            "pay",
            label=_("New bill needed"),
        )
    if state == State.CORRECTION_REQUESTED:
        open_items = open_corrections(application)
        names = ", ".join(item.label for item in open_items)
        return NextStep(
            _("Fix what the officer asked about (%(items)s) and send it back.") % {"items": names},
            "corrections",
        )
    if state in VISIT_NEEDED:
        return _visit_step(application) if _visit_step is not None else None
    return None


@dataclass
class OpenCorrection:
    correction: Correction
    label: str
    is_document: bool


def open_corrections(application: Application) -> list[OpenCorrection]:
    slots = {s.key: s for s in document_slots(application)}
    fields = FORMS[application.form_key].field_map()
    items = []
    for correction in application.corrections.filter(resolved_at__isnull=True):
        is_document = correction.target_kind == CorrectionTarget.DOCUMENT
        if is_document:
            label = str(slots[correction.target].label) if correction.target in slots else correction.target
        else:
            label = str(fields[correction.target].label) if correction.target in fields else correction.target
        items.append(OpenCorrection(correction, label, is_document))
    return items


@dataclass
class SlotView:
    slot: Slot
    document: Document | None
    results: list[CheckResult]
    messages: list[str]
    correction: Correction | None


def slot_views(application: Application, *, for_staff: bool = False) -> list[SlotView]:
    documents = {d.slot: d for d in application.documents.filter(is_current=True)}
    results = defaultdict(list)
    for result in application.checks.filter(document__isnull=False):
        if for_staff or result.visible_to_applicant:
            results[result.document_id].append(result)
    corrections = {
        c.target: c
        for c in application.corrections.filter(
            target_kind=CorrectionTarget.DOCUMENT, resolved_at__isnull=True
        )
    }
    views = []
    for slot in document_slots(application):
        document = documents.get(slot.key)
        slot_results = results.get(document.pk, []) if document else []
        views.append(
            SlotView(
                slot=slot,
                document=document,
                results=slot_results,
                messages=[m for r in slot_results for m in checks.describe(r)],
                correction=corrections.get(slot.key),
            )
        )
    return views


def case_checks(application: Application, *, for_staff: bool) -> list[tuple[CheckResult, list[str]]]:
    """Checks of the whole case (passport lines, duplicates)."""
    found = application.checks.filter(document__isnull=True)
    if not for_staff:
        found = found.filter(visible_to_applicant=True)
    return [(result, checks.describe(result)) for result in found]


@dataclass
class AnswerRow:
    name: str
    label: str | Promise
    value: str
    error: str = ""


def answer_rows(
    application: Application, errors: dict[str, str] | None = None
) -> list[tuple[Any, list[AnswerRow]]]:
    """The answers that apply, by step, as typed (choices shown by their label), with each
    one's problem; for the review page and the officers' case page."""
    spec = FORMS[application.form_key]
    answers = application.answers
    grouped = []
    for step in spec.steps:
        rows = []
        for spec_field in step.fields:
            if not is_shown(spec_field, answers):
                continue
            value = str(answers.get(spec_field.name, ""))
            if spec_field.choices:
                value = str(dict(spec_field.choices).get(value, value))
            rows.append(
                AnswerRow(spec_field.name, spec_field.label, value, (errors or {}).get(spec_field.name, ""))
            )
        grouped.append((step, rows))
    return grouped


def expected_completion(application: Application) -> date | None:
    return application.due_date


# --- Public tracking --------------------------------------------------------------------------


@dataclass
class Tracked:
    number: str
    service: str
    office: str
    zone: str
    state: str
    submitted_at: datetime | None
    due_date: date | None
    steps: list[TimelineEntry]


# Public tracking is what a crowd asks at once (a decision day, a rush): its two reads are
# compiled once (gerbang.core.prepared), and read only what the answer shows, so no personal
# data is even decrypted for it.
_tracked_case = PreparedRead(
    lambda number, key: (
        Application.objects.filter(number=number, tracking_key=key)
        .select_related("office", "service")
        .only(
            "number",
            "applicant_id",
            "state",
            "submitted_at",
            "due_date",
            "office__name_id",
            "office__name_en",
            "office__time_zone",
            "service__name_id",
            "service__name_en",
        )
    ),
    str,
    str,
)
_public_events = PreparedRead(
    lambda subject_id: (
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id=subject_id)
        .only("code", "actor_id", "details", "created_at")
        .order_by("created_at", "id")
    ),
    str,
)


def track(number: str, born: date) -> Tracked | None:
    """Status and timeline for a number and birth date; None for any mismatch, alike."""
    canonical = numbers.normalize(number)
    if canonical is None:
        return None
    application = _tracked_case.first(canonical, tracking_key(canonical, born))
    if application is None:
        return None
    return Tracked(
        number=canonical,
        service=str(application.service.name),
        office=str(application.office.name),
        zone=application.office.time_zone,
        state=application.state_label,
        submitted_at=application.submitted_at,
        due_date=application.due_date,
        # The timeline without reasons: free text could carry personal details.
        steps=[
            TimelineEntry(e.at, e.code, e.text, "", e.state, e.by_staff)
            for e in _timeline_of(application, _public_events(str(application.pk)), for_staff=False)
            if e.code != "application.created"
        ],
    )


def track_limited(number: str, born: date, *, client: str) -> Tracked | None:
    """``track`` behind its rate limits (per address and per number), for the page and the API."""
    enforce(
        (TRACK_PER_IP, client),
        (TRACK_PER_NUMBER, "".join(number.upper().split())),
        message=RateLimited.default_message,
    )
    return track(number, born)


# --- The back office --------------------------------------------------------------------------


def cases_visible_to(user: Any) -> QuerySet[Application]:
    if not has_permission(user, Perm.CASE_VIEW):
        return Application.objects.none()
    return scope_to_offices(Application.objects.exclude(state=State.DRAFT), user).select_related(
        "office", "service", "assigned_to"
    )


def case_for_staff(user: Any, pk: int) -> Application | None:
    return cases_visible_to(user).filter(pk=pk).first()


# Cases without a due date yet (not paid) come after those with one, whichever the direction.
SORTS: dict[str, tuple[OrderBy | str, ...]] = {
    "due": (F("due_date").asc(nulls_last=True), "submitted_at"),
    "-due": (F("due_date").desc(nulls_last=True), "-submitted_at"),
    "submitted": ("submitted_at",),
    "-submitted": ("-submitted_at",),
    "state": ("state", F("due_date").asc(nulls_last=True)),
}


def work_queue(
    user: Any,
    *,
    office_id: int | None = None,
    service_id: int | None = None,
    state: str = "",
    assigned: str = "",
    due: str = "",
    sort: str = "due",
    number: str = "",
    today: date | None = None,
) -> QuerySet[Application]:
    """The cases of the user's offices, filtered; ``assigned`` is "me", "none" or a user id;
    ``due`` is "overdue" or "soon"."""
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if number.strip():
        # An officer at the counter types the number the applicant shows: exact match only.
        return cases.filter(number=numbers.normalize(number) or number.strip().upper())
    if office_id:
        cases = cases.filter(office_id=office_id)
    if service_id:
        cases = cases.filter(service_id=service_id)
    if state in State.values:
        cases = cases.filter(state=state)
    elif state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    if assigned == "me":
        cases = cases.filter(assigned_to=user)
    elif assigned == "none":
        cases = cases.filter(assigned_to__isnull=True)
    elif assigned.isdigit():
        cases = cases.filter(assigned_to_id=int(assigned))
    if due == "overdue":
        cases = cases.filter(state__in=OPEN_AT_OFFICE, due_date__lt=today)
    elif due == "soon":
        cases = cases.filter(
            state__in=OPEN_AT_OFFICE, due_date__gte=today, due_date__lte=today + timedelta(days=NEAR_DUE_DAYS)
        )
    return cases.order_by(*SORTS.get(sort, SORTS["due"]), "id")


def due_status(application: Application, today: date) -> str:
    """ "overdue", "soon" or "" for the queue's highlighting."""
    if application.state not in OPEN_AT_OFFICE or application.due_date is None:
        return ""
    if application.due_date < today:
        return "overdue"
    if application.due_date <= today + timedelta(days=NEAR_DUE_DAYS):
        return "soon"
    return ""


def assignable_staff(application: Application) -> list[Any]:
    return list(
        User.objects.filter(
            is_active=True,
            role__in=[Role.OFFICER, Role.SUPERVISOR],
            office_memberships__office_id=application.office_id,
        ).order_by("full_name")
    )


@dataclass
class CaseCounts:
    open_cases: int
    overdue: int


def case_counts(user: Any, *, office_id: int | None = None, today: date | None = None) -> CaseCounts:
    """Open cases (``OPEN_STATES``, as the work queue's "open" filter) and how many are past
    their due date."""
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if office_id:
        cases = cases.filter(office_id=office_id)
    return CaseCounts(
        open_cases=cases.filter(state__in=OPEN_STATES).count(),
        overdue=cases.filter(state__in=OPEN_AT_OFFICE, due_date__lt=today).count(),
    )


@dataclass
class OfficeNumbers:
    by_state: list[tuple[str, int]]
    overdue: int
    open_cases: int
    median_hours_by_state: list[tuple[str, float, int]]


def office_numbers(user: Any, *, office_id: int | None = None, today: date | None = None) -> OfficeNumbers:
    """Cases by state, overdue count and the median time spent in each stage (in hours)."""
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if office_id:
        cases = cases.filter(office_id=office_id)
    counts = dict(cases.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    by_state = [(str(s.label), counts.get(s.value, 0)) for s in State if s != State.DRAFT]
    counts_now = case_counts(user, office_id=office_id, today=today)
    overdue, open_cases = counts_now.overdue, counts_now.open_cases
    ids = [str(pk) for pk in cases.values_list("pk", flat=True)[:5000]]
    durations: dict[str, list[float]] = defaultdict(list)
    moves = (
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id__in=ids)
        .filter(Q(details__has_key="to"))
        .order_by("subject_id", "created_at", "id")
        .values_list("subject_id", "created_at", "details")
    )
    last: dict[str, tuple[str, datetime]] = {}
    for subject_id, at, details in moves:
        previous = last.get(subject_id)
        if previous is not None and previous[0] != details["to"]:
            durations[previous[0]].append((at - previous[1]).total_seconds() / 3600)
        last[subject_id] = (details["to"], at)
    medians = [
        (str(State(state).label), round(statistics.median(values), 1), len(values))
        for state, values in durations.items()
        if state in State.values and state != State.DRAFT
    ]
    return OfficeNumbers(
        by_state=by_state, overdue=overdue, open_cases=open_cases, median_hours_by_state=medians
    )


def staff_actions(application: Application, user: Any) -> list[Action]:
    """The table's actions this staff member could take now (guards are checked on submit)."""
    actor = actor_of(application, user)
    if actor is None:
        return []
    internal = {Action.ISSUE_BILL, Action.EXPIRE, Action.RECORD_PAYMENT, Action.REQUEST_CORRECTION}
    return [
        t.action for t in actions_from(application.state) if actor in t.actors and t.action not in internal
    ]


def why_not_offered(application: Application) -> str:
    """For a draft: why its office cannot take its service now (the notice or shortage that stops
    it), or "" when it can; submitted cases go on regardless."""
    if application.state != State.DRAFT:
        return ""
    link = (
        application.office.office_services.select_related("office")
        .filter(service=application.service)
        .first()
    )
    if link is None:
        return str(_("This office no longer offers this service."))
    return "" if link.offered_now else link.why_not
