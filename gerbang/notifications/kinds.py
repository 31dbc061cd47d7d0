"""Every kind of message, in one table: its group (which the person's channel choices follow),
whether it matters legally (then it always goes to email and the inbox), and its template.

Templates live in ``templates/notifications/messages/<template>_subject.txt``, ``.txt``,
``.html`` and ``_sms.txt``: files reviewed like code, translated through the catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from gerbang.notifications.models import Channel

if TYPE_CHECKING:
    from django.utils.functional import Promise


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise
    help: str | Promise
    default_channels: frozenset[str]


@dataclass(frozen=True)
class Kind:
    group: str
    template: str
    legal: bool = False
    # Channels that do not follow the person's choice (account messages go by email only).
    fixed_channels: frozenset[str] | None = None
    # Written in numbers at once by the clock or a broadcast, and nobody is waiting on the
    # page for it: delivered in the backlog lane, behind the messages a person's action caused.
    bulk: bool = False


GROUPS: dict[str, Group] = {
    g.key: g
    for g in (
        Group(
            "application",
            _("Progress of my applications"),
            _("Submitted, corrections asked for, interview, ready for pickup."),
            frozenset({Channel.EMAIL, Channel.SMS}),
        ),
        Group(
            "payment",
            _("Bills and payments"),
            _("A new bill, a reminder before it expires, a payment received."),
            frozenset({Channel.EMAIL, Channel.SMS}),
        ),
        Group(
            "appointment",
            _("Appointments"),
            _("A booking made, reminders a day and two hours before, changes by the office, its notices."),
            frozenset({Channel.EMAIL, Channel.SMS}),
        ),
        Group(
            "consultation",
            _("Answers to my questions"),
            _("An office answered a question you asked."),
            frozenset({Channel.EMAIL, Channel.SMS}),
        ),
        Group(
            "decision",
            _("Decisions"),
            _("Approval or refusal. Always sent by email and to the inbox."),
            frozenset({Channel.EMAIL, Channel.SMS}),
        ),
    )
}

# Legal messages always go here, whatever the person chose.
LEGAL_CHANNELS = frozenset({Channel.EMAIL, Channel.INBOX})
CHOOSABLE_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PUSH)

EMAIL_ONLY = frozenset({Channel.EMAIL})

KINDS: dict[str, Kind] = {
    "account.verify_email": Kind("account", "accounts/email/verify", fixed_channels=EMAIL_ONLY),
    "account.already_registered": Kind(
        "account", "accounts/email/already_registered", fixed_channels=EMAIL_ONLY
    ),
    "account.staff_invitation": Kind("account", "accounts/email/staff_invitation", fixed_channels=EMAIL_ONLY),
    "account.password_reset": Kind("account", "accounts/email/password_reset", fixed_channels=EMAIL_ONLY),
    "account.failed_sign_ins": Kind("account", "accounts/email/failed_sign_ins", fixed_channels=EMAIL_ONLY),
    "application.submit": Kind("application", "application_submitted"),
    "application.issue_bill": Kind("payment", "bill_issued"),
    "application.reissue_bill": Kind("payment", "bill_issued"),
    "payment.bill_expiring": Kind("payment", "bill_expiring", bulk=True),
    "application.record_payment": Kind("payment", "payment_received", legal=True),
    "payment.refunded": Kind("payment", "payment_refunded", legal=True),
    "payment.not_settled": Kind("payment", "payment_not_settled", legal=True),
    "application.expire": Kind("payment", "application_update"),
    "application.cancel": Kind("application", "application_update"),
    "application.request_correction": Kind("application", "correction_requested"),
    "application.resubmit": Kind("application", "application_update"),
    "application.send_to_interview": Kind("application", "application_update"),
    "application.send_to_review": Kind("application", "application_update"),
    "application.complete_interview": Kind("application", "application_update"),
    "application.approve": Kind("decision", "decision", legal=True),
    "application.reject": Kind("decision", "decision", legal=True),
    "application.reverse_decision": Kind("decision", "decision", legal=True),
    "application.mark_ready": Kind("application", "ready_for_pickup"),
    "application.mark_collected": Kind("application", "application_update"),
    "appointment.booked": Kind("appointment", "appointment_booked"),
    "appointment.reminder": Kind("appointment", "appointment_reminder", bulk=True),
    "appointment.moved": Kind("appointment", "appointment_moved"),
    "appointment.cancelled_by_office": Kind("appointment", "appointment_cancelled"),
    "appointment.office_notice": Kind("appointment", "office_notice", bulk=True),
    "consultation.answered": Kind("consultation", "consultation_answered"),
}


def kind_of(code: str) -> Kind:
    """The kind of a message; unknown kinds are told as a generic update, never dropped."""
    return KINDS.get(code, Kind("application", "application_update"))
