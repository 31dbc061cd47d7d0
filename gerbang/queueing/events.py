"""What the queue tells the other apps: a visitor was served at a counter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gerbang.core.events import DomainEvent
from gerbang.queueing.models import Ticket


@dataclass(frozen=True, kw_only=True)
class TicketCompleted(DomainEvent):
    """The visitor holding ``ticket`` was served at a counter (walk-in or booked) at ``at``."""

    ticket: Ticket
    at: dt.datetime
