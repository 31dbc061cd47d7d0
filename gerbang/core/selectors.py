"""Reads of the event stream."""

from __future__ import annotations

from django.db.models import QuerySet

from gerbang.core.models import Event


def events_filtered(*, code_prefix: str = "") -> QuerySet[Event]:
    events = Event.objects.select_related("actor", "note")
    if code_prefix:
        events = events.filter(code__startswith=code_prefix)
    return events
