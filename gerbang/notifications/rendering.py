"""Turning an outbox message into words, in the recipient's language: a subject (also the inbox
title), a plain-text and an HTML body for email and the inbox, and a short SMS text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime

from gerbang.core.emails import render_email, render_text
from gerbang.notifications.kinds import kind_of
from gerbang.notifications.models import OutboxMessage

TEMPLATE_DIR = "notifications/messages"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str
    link: str


def appointment_context(message: OutboxMessage) -> dict[str, Any]:
    """The booking as it is now (a late message shows the current time), and the time before a change."""
    from gerbang.appointments.selectors import booking_by_code

    booking = booking_by_code(message.context.get("code", ""))
    previous = message.context.get("previous")
    return {
        "booking": booking,
        "previous_at": parse_datetime(previous) if previous else None,
        "link": f"{settings.SITE_URL}{reverse('appointments:booking', args=[booking.application_id])}"
        if booking
        else "",
        "reason": message.context.get(f"reason_{translation.get_language()}")
        or message.context.get("reason_id", ""),
        "notice_title": message.context.get(f"title_{translation.get_language()}", ""),
        "notice_body": message.context.get(f"body_{translation.get_language()}", ""),
    }


def consultation_context(message: OutboxMessage) -> dict[str, Any]:
    """The question and the answer the message is about, as stored (encrypted) now."""
    from gerbang.feedback.models import Consultation

    consultation = (
        Consultation.objects.select_related("office")
        .filter(pk=message.context.get("consultation_id"))
        .first()
    )
    if consultation is None:
        return {"user": message.recipient, "kind": message.kind}
    answer = consultation.messages.filter(pk=message.context.get("message_id")).first()
    return {
        "user": message.recipient,
        "kind": message.kind,
        "consultation": consultation,
        "answer": answer.body if answer else "",
        "link": f"{settings.SITE_URL}{reverse('feedback:detail', args=[consultation.pk])}",
    }


def when_shown(compute: Callable[[], Any]) -> Callable[[], Any]:
    """A value that only some templates show (the bill, the timeline, open corrections: a few
    queries each), worked out when one shows it, and once: Django templates call a callable
    they are given. Most messages show none of them."""
    return cache(compute)


def message_context(message: OutboxMessage) -> dict[str, Any]:
    """What the templates may show: read fresh from the case, so a late delivery is still right."""
    from gerbang.applications import selectors as applications
    from gerbang.applications.models import Application
    from gerbang.core.models import Event
    from gerbang.payments.billing import format_billing_code
    from gerbang.payments.selectors import current_bill

    if message.kind.startswith("account."):
        from gerbang.accounts.notifications import message_context as account_context

        return {"kind": message.kind, **account_context(message)}
    if message.kind.startswith("consultation."):
        return consultation_context(message)
    context: dict[str, Any] = {"user": message.recipient, "kind": message.kind, **message.context}
    application_id = message.context.get("application_id")
    application = Application.objects.select_related("service", "office").filter(pk=application_id).first()
    if application is None:
        return context
    link = f"{settings.SITE_URL}{reverse('applications:detail', args=[application.pk])}"
    bill = when_shown(lambda: current_bill(application))
    entries = when_shown(lambda: [e for e in applications.timeline(application) if e.code == message.kind])
    context.update(
        {
            "application": application,
            "link": link,
            "pay_link": f"{settings.SITE_URL}{reverse('payments:pay', args=[application.pk])}",
            "bill": bill,
            "billing_code": when_shown(lambda: format_billing_code(bill().billing_code) if bill() else ""),
            "what_happened": when_shown(lambda: entries()[-1].text if entries() else ""),
            "reason": when_shown(lambda: entries()[-1].reason if entries() else ""),
            "next_step": applications.next_step(application),
            "corrections": when_shown(lambda: applications.open_corrections(application)),
            "event": when_shown(
                lambda: (
                    Event.objects.filter(
                        subject_type="applications.application",
                        subject_id=str(application.pk),
                        code=message.kind,
                    )
                    .order_by("-created_at")
                    .first()
                )
            ),
        }
    )
    if message.kind.startswith("appointment."):
        context.update(appointment_context(message))
    return context


def render(message: OutboxMessage) -> Rendered:
    language = message.recipient.language or settings.LANGUAGE_CODE
    name = kind_of(message.kind).template
    template = name if "/" in name else f"{TEMPLATE_DIR}/{name}"
    with translation.override(language):
        context = message_context(message)
        subject, text, html = render_email(template, context, language)
        try:
            sms = " ".join(render_text(f"{template}_sms.txt", context).split())
        except TemplateDoesNotExist:
            sms = ""  # messages that never go by SMS have no SMS text
    return Rendered(subject=subject, text=text, html=html, sms=sms[:320], link=context.get("link", ""))
