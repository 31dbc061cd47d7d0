"""The event every change of a ticket records."""

from __future__ import annotations

from typing import Any

from gerbang.accounts.models import User
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.queueing.models import Ticket


def _record(code: str, ticket: Ticket, actor: User | SystemActor, note: str = "", **details: Any) -> None:
    """The event of a ticket's change; an officer's ``note`` is the event's note (erased with the
    ticket's personal data), never a detail."""
    events.record(
        code,
        actor=actor,
        subject=ticket,
        office_id=ticket.office_id,
        details={"number": ticket.number, "lane": ticket.lane.letter, **details},
        note=note,
    )
