"""Erasing what tickets hold about a person (UU PDP): why the visitor had priority (partly health
data) and the officer's note. Number, lane, times and state stay for the queue's figures.

Only the system erases (the person's request carried out by ``gerbang.privacy``, or the nightly
retention sweep): ``actor`` is a ``SystemActor``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.queueing.models import Ticket
from gerbang.queueing.selectors.personal import tickets_past_retention

# The system acting on a person's erasure request, and the retention sweep.
PRIVACY = SystemActor("privacy")
RETENTION = SystemActor("retention")


@transaction.atomic
def tickets_personal_data_erase(
    *,
    cutoff_day: dt.date,
    actor: SystemActor,
    why: str,
    ticket_ids: Sequence[int] | None = None,
    limit: int = 500,
) -> int:
    """Empty the priority reason and the note of tickets (and the notes of their events) of a day before ``cutoff_day`` (their
    retention period is over): at most ``limit`` per call, only ``ticket_ids`` when given.
    Returns how many were changed, each with its event."""
    due = tickets_past_retention(cutoff_day)
    if ticket_ids is not None:
        due = due.filter(pk__in=list(ticket_ids))
    rows = list(due.select_for_update(of=("self",)).order_by("pk")[:limit])
    if not rows:
        return 0
    Ticket.objects.filter(pk__in=[row.pk for row in rows]).update(priority_reason="", note="")
    events.notes_erase(Ticket._meta.label_lower, [row.pk for row in rows])
    events.record_many(
        "queue.personal_data_erased",
        actor=actor,
        subjects=[(row, row.office_id) for row in rows],
        details={"why": why},
    )
    return len(rows)
