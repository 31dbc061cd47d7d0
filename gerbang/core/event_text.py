"""Events in words: one renderer per event code, in the reader's language.

Each app says what its events mean in its own ``event_texts.py`` (found on first use, as the
admin finds ``admin.py``): a name for the kind of event ("Signed in", for filters) and a sentence
built from the event's details. The audit log and the case timeline read them; exports keep the
raw codes and details.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from gerbang.core.events import note_of

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from gerbang.core.models import Event

Sentence = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class EventKind:
    code: str
    name: str | Promise
    sentence: Sentence | None = None


_KINDS: dict[str, EventKind] = {}
# Codes that end in a variable part ("payment.anomaly.<kind>") are registered by their prefix.
_PREFIXES: dict[str, EventKind] = {}


def register(code: str, name: str | Promise, sentence: Sentence | None = None) -> None:
    """Say what ``code`` means; a code ending in "." names every code that starts with it."""
    kind = EventKind(code, name, sentence)
    (_PREFIXES if code.endswith(".") else _KINDS)[code] = kind


@cache
def _discover() -> None:
    autodiscover_modules("event_texts")


def kind_of(code: str) -> EventKind | None:
    _discover()
    if code in _KINDS:
        return _KINDS[code]
    prefixes = [prefix for prefix in _PREFIXES if code.startswith(prefix)]
    return _PREFIXES[max(prefixes, key=len)] if prefixes else None


def name_of(code: str) -> str:
    kind = kind_of(code)
    return str(kind.name) if kind else code


def describe(code: str, details: Mapping[str, Any] | None) -> str:
    """The event as a sentence in the active language."""
    kind = kind_of(code)
    if kind is None:
        return _("Event “%(code)s”.") % {"code": code}
    if kind.sentence is None:
        return f"{kind.name}."
    return kind.sentence(details or {})


def describe_event(event: Event) -> str:
    """The event as a sentence, with the free text it carries (``events.note_of``)."""
    sentence = describe(event.code, event.details)
    note = note_of(event)
    if note is None:
        return f"{sentence} " + _("(Its note was erased when its retention period ended.)")
    if note:
        return f"{sentence} " + _("Note: %(text)s") % {"text": note}
    return sentence


def subject_name(subject_type: str) -> str:
    """What the event is about, by its model's name in the reader's language: "Application"."""
    try:
        model = apps.get_model(subject_type)
    except (LookupError, ValueError):
        return subject_type
    return str(model._meta.verbose_name).capitalize()


def known_codes() -> list[str]:
    _discover()
    return sorted(_KINDS)
