"""Rendering of emails in the recipient's language (plain text and HTML). Sending goes
through the notification outbox (``gerbang.notifications``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_text(template: str, context: dict[str, Any]) -> str:
    """A plain-text template (subject, email text, SMS), without HTML escaping."""
    return render_to_string(template, context, using="text")


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html``."""
    full_context = {
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": "Gerbang",
        "LANGUAGE_CODE": language,
        **context,
    }
    with translation.override(language):
        subject = render_text(f"{template}_subject.txt", full_context)
        text = render_text(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    return " ".join(subject.split()), text, html
