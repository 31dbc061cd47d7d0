"""Rendering and sending of emails in the recipient's language (plain text and HTML).

The notifications issue replaces direct sending with an outbox; until then account emails
are sent from background tasks through this one function.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html``."""
    full_context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": "Gerbang", **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", full_context)
        text = render_to_string(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    return " ".join(subject.split()), text, html


def send_email(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    subject, text, html = render_email(template, context, language)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
