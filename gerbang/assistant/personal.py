"""Answers to "where is my application", "when is my appointment", "have I paid", "what is my
place in the queue": from the asker's own cases only, read through the selectors their own pages
use.

What the question says is never used to find anything: a case number, a booking or billing code
or an identity number typed in the chat opens nothing, whoever is signed in. The only key is the
signed-in applicant; a visitor is shown how to track an application publicly, and staff are
sent to the back office (the chat is not a way round its logged reads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gerbang.applications import selectors as cases
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.appointments import selectors as appointments
from gerbang.assistant.engine import PersonalTopic
from gerbang.core.formatting import day, moment, rupiah
from gerbang.payments import selectors as payments
from gerbang.payments.models import BillStatus
from gerbang.queueing.selectors.board import ticket_by_token, ticket_view

# The newest cases the answer lists (the dashboard lists them all).
MOST_CASES = 5

APPLICANT = "applicant"
VISITOR = "visitor"
STAFF = "staff"


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class PersonalAnswer:
    # Who was answered: APPLICANT (from their own data), VISITOR or STAFF (no look-up).
    who: str
    intro: str
    lines: tuple[Line, ...] = ()
    links: tuple[Line, ...] = field(default_factory=tuple)


def personal_answer(user: Any, topic: PersonalTopic | None) -> PersonalAnswer:
    """The answer for ``user`` (the signed-in person, or an anonymous one) on ``topic``."""
    if not getattr(user, "is_authenticated", False):
        return _for_visitor()
    if getattr(user, "is_staff_role", False):
        return PersonalAnswer(
            STAFF,
            _(
                "The assistant answers about applications only for the applicant who made them. "
                "Staff find cases in the back office."
            ),
            links=(Line(_("Back office"), reverse("backoffice:case_queue")),),
        )
    own = list(cases.applications_of(user).order_by("-pk")[:MOST_CASES])
    if not own:
        return PersonalAnswer(
            APPLICANT,
            _("You have no applications yet."),
            links=(Line(_("Services you can apply for"), reverse("catalog:service_list")),),
        )
    lines = {
        PersonalTopic.APPOINTMENT: _appointments,
        PersonalTopic.PAYMENT: _bills,
        PersonalTopic.QUEUE: _tickets,
    }.get(topic or PersonalTopic.CASE_STATUS, _statuses)(own)
    intro = _("From your own applications:")
    links = (Line(_("All my applications"), reverse("accounts:dashboard")),)
    return PersonalAnswer(APPLICANT, intro, tuple(lines), links)


def _for_visitor() -> PersonalAnswer:
    return PersonalAnswer(
        VISITOR,
        _(
            "Sign in to see your own applications, appointments and bills here. Without signing in, "
            "you can follow an application on the tracking page with its number and the "
            "applicant's date of birth. The assistant does not look up numbers typed in the chat."
        ),
        links=(
            Line(_("Track an application"), reverse("applications:track")),
            Line(_("Sign in"), f"{reverse('accounts:login')}?next={reverse('assistant:help')}"),
        ),
    )


def _name(application: Application) -> str:
    return application.number or _("Draft application")


def _statuses(own: list[Application]) -> list[Line]:
    lines = []
    for application in own:
        text = _("%(number)s (%(service)s): %(state)s.") % {
            "number": _name(application),
            "service": application.service.name,
            "state": State(application.state).label,
        }
        steps = cases.timeline(application)
        if steps:
            latest = steps[-1]
            text += " " + _("Latest step: %(step)s (%(day)s).") % {
                "step": latest.text.rstrip("."),
                "day": day(latest.at, application.office),
            }
        step = cases.next_step(application)
        if step is not None:
            text += " " + step.text
        lines.append(
            Line(text, reverse("applications:detail", args=[application.pk]), _("Open the application"))
        )
    return lines


def _appointments(own: list[Application]) -> list[Line]:
    lines = []
    for application in own:
        booking = appointments.active_booking(application)
        if booking is None:
            continue
        lines.append(
            Line(
                _("%(number)s: %(when)s at %(office)s, booking code %(code)s.")
                % {
                    "number": _name(application),
                    "when": moment(booking.slot.starts_at, application.office),
                    "office": application.office.name,
                    "code": booking.code,
                },
                reverse("appointments:booking", args=[application.pk]),
                _("Open the appointment"),
            )
        )
    if not lines:
        lines.append(Line(_("You have no appointment booked.")))
    return lines


def _bills(own: list[Application]) -> list[Line]:
    lines = []
    for application in own:
        bill = payments.current_bill(application)
        if bill is None:
            continue
        values = {"number": _name(application), "amount": rupiah(bill.amount)}
        if bill.status == BillStatus.OPEN:
            text = _("%(number)s: %(amount)s to pay before %(deadline)s.") % {
                **values,
                "deadline": moment(bill.expires_at, application.office),
            }
            lines.append(Line(text, reverse("payments:pay", args=[application.pk]), _("Pay")))
        elif bill.status == BillStatus.PAID:
            text = _("%(number)s: %(amount)s paid on %(day)s.") % {
                **values,
                "day": day(bill.paid_at, application.office),
            }
            lines.append(Line(text, reverse("applications:detail", args=[application.pk])))
        else:
            text = _("%(number)s: the bill of %(amount)s is %(status)s.") % {
                **values,
                "status": str(BillStatus(bill.status).label).lower(),
            }
            lines.append(Line(text, reverse("applications:detail", args=[application.pk])))
    if not lines:
        lines.append(Line(_("You have no bills.")))
    return lines


def _tickets(own: list[Application]) -> list[Line]:
    lines = []
    for application in own:
        step = cases.next_step(application)
        if step is None or step.where != "ticket" or not step.token:
            continue
        view = ticket_view(ticket_by_token(step.token))
        ticket = view.ticket
        if ticket.day != cases.office_today(application):
            continue
        text = _("Ticket %(ticket)s at %(office)s: %(status)s.") % {
            "ticket": ticket.number,
            "office": application.office.name,
            "status": ticket.get_status_display(),
        }
        if view.ahead is not None:
            text += " " + _("People ahead of you: %(ahead)d.") % {"ahead": view.ahead}
        lines.append(Line(text, reverse("queueing:ticket", args=[ticket.token]), _("Follow your turn")))
    if not lines:
        lines.append(Line(_("You have no queue ticket today.")))
    return lines
