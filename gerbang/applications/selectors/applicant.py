"""The applicant's own cases: one read as a page or a booking needs it, the cards of the
dashboard and of the list, and the one thing to do next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.applications.models import Application
from gerbang.applications.selectors.contents import open_corrections
from gerbang.applications.workflow import VISIT_NEEDED, State
from gerbang.core.formatting import moment, rupiah
from gerbang.core.prepared import PreparedRead

if TYPE_CHECKING:
    from django.utils.functional import Promise


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
