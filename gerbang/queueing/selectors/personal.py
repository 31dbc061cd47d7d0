"""What the on-site queue holds about a person (UU PDP; ``queueing/data_subject.py``): the tickets
of their cases' visits, and how long each is kept (``DATA_RETENTION_YEARS["visits"]`` after its
day). A walk-in ticket names no case, so it belongs to nobody the queue knows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from gerbang.core import events
from gerbang.core.calendar import years_later
from gerbang.queueing.models import Ticket


def retention_years() -> int:
    return int(settings.DATA_RETENTION_YEARS["visits"])


def cutoff_day(now: dt.datetime) -> dt.date:
    """Tickets of a day before this one are past their retention period at ``now``."""
    return years_later(timezone.localdate(now), -retention_years())


def kept_until(day: dt.date) -> dt.date:
    return years_later(day, retention_years())


def tickets_of(person: Any) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(application__applicant=person)
        .select_related("office", "lane", "counter", "issued_by", "application", "booking")
        .order_by("issued_at", "pk")
    )


def tickets_past_retention(day: dt.date) -> QuerySet[Ticket]:
    """Tickets past their period that still hold a priority reason or an officer's note (in the
    ticket, or in the notes of its events)."""
    return Ticket.objects.filter(day__lt=day).filter(
        ~Q(priority_reason="") | ~Q(note="") | events.with_notes(Ticket._meta.label_lower)
    )


def owners_of_tickets(ids: Sequence[int]) -> dict[str, int]:
    owners: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        rows = Ticket.objects.filter(pk__in=ids[start : start + 500], application__isnull=False).values_list(
            "pk", "application__applicant_id"
        )
        owners.update({str(pk): owner for pk, owner in rows})
    return owners
