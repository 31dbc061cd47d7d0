"""Sample renderings of every message template, in both languages, for staff to review. The
made-up facts come from each kind's registered ``sample``."""

from __future__ import annotations

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.utils import translation

from gerbang.core import event_text, messages
from gerbang.core.emails import render_email, render_text


def template_names() -> list[str]:
    return sorted({kind.template for kind in messages.kinds().values()})


def _sample_kind(template: str) -> messages.Kind:
    return next(kind for kind in messages.kinds().values() if kind.template == template)


def render_samples(template: str) -> list[dict[str, str]]:
    kind = _sample_kind(template)
    results = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            # What happened, in the words the timeline and the audit log use for the kind's event.
            context = {
                "kind": kind.code,
                "what_happened": event_text.describe(kind.code, {}),
                **kind.sample(),
            }
            subject, text, html = render_email(template, context, language)
            try:
                sms = " ".join(render_text(f"{template}_sms.txt", context).split())
            except TemplateDoesNotExist:
                sms = "—"
        results.append({"language": language, "subject": subject, "text": text, "html": html, "sms": sms})
    return results
