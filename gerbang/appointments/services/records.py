"""What a change of a booking writes beside itself: its timeline event, and the facts its
messages keep."""

from __future__ import annotations

from typing import Any

from gerbang.appointments.events import booking_facts
from gerbang.appointments.models import Booking
from gerbang.core import events
from gerbang.core.actors import Actor


def _booking_context(booking: Booking) -> dict[str, Any]:
    return booking_facts(booking)


def _record(code: str, booking: Booking, *, actor: Actor, **details: Any) -> None:
    events.record(
        code,
        actor=actor,
        subject=booking.application,
        office_id=booking.slot.office_id,
        details={
            "public": True,
            "booking": booking.code,
            "starts_at": booking.slot.starts_at.isoformat(),
            **details,
        },
    )
