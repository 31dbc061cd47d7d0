"""What a change of a booking writes beside itself: its timeline event, and the context and
confirmation of its messages."""

from __future__ import annotations

from typing import Any

from gerbang.appointments.models import Booking
from gerbang.core import events
from gerbang.core.actors import Actor
from gerbang.notifications.services import outbox_add


def _booking_context(booking: Booking) -> dict[str, Any]:
    slot = booking.slot
    return {
        "application_id": booking.application_id,
        "number": booking.application.number,
        "code": booking.code,
        "office": booking.slot.office.name_id,
        "office_en": booking.slot.office.name_en or booking.slot.office.name_id,
        "office_address": booking.slot.office.address,
        "time_zone": slot.office.time_zone,
        "starts_at": slot.starts_at.isoformat(),
        "purpose": booking.purpose,
    }


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


def _confirm_by_message(booking: Booking) -> None:
    """The confirmation of a booked time: once per booking and time."""
    outbox_add(
        recipient=booking.application.applicant,
        kind="appointment.booked",
        dedup_key=f"booking:{booking.pk}:booked:{booking.slot.starts_at.isoformat()}",
        context=_booking_context(booking),
    )
