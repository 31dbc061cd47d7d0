"""Turning an outbox message into words, in the recipient's language: a subject (also the inbox
title), a plain-text and an HTML body for email and the inbox, and a short SMS text.

The facts a message shows come from the builder its kind registered (``gerbang.core.messages``),
read fresh from the data when the message is delivered, so a late delivery is still right."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.utils import translation

from gerbang.core.emails import render_email, render_text
from gerbang.notifications.kinds import kind_of
from gerbang.notifications.models import OutboxMessage


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str
    link: str


def render(message: OutboxMessage) -> Rendered:
    language = message.recipient.language or settings.LANGUAGE_CODE
    kind = kind_of(message.kind)
    with translation.override(language):
        context = {"user": message.recipient, "kind": message.kind, **kind.context(message)}
        subject, text, html = render_email(kind.template, context, language)
        try:
            sms = " ".join(render_text(f"{kind.template}_sms.txt", context).split())
        except TemplateDoesNotExist:
            sms = ""  # messages that never go by SMS have no SMS text
    return Rendered(subject=subject, text=text, html=html, sms=sms[:320], link=context.get("link", ""))
