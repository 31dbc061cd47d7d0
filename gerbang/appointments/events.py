"""What the appointments app tells the others: a booking made (or moved to a new time), a
booking the applicant cancelled, and a visit that took place. Published inside the transaction
that makes the change; the confirmation message of a booking is the event's own (``messages``),
written by whoever delivers messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gerbang.appointments.models import Booking
from gerbang.core.events import DomainEvent, Message


def booking_facts(booking: Booking) -> dict[str, Any]:
    """What a booking's messages keep of it (the text is made from the booking as it is when
    the message is delivered; these facts are for the inbox and the record)."""
    slot = booking.slot
    return {
        "application_id": booking.application_id,
        "number": booking.application.number,
        "code": booking.code,
        "office": slot.office.name_id,
        "office_en": slot.office.name_en or slot.office.name_id,
        "office_address": slot.office.address,
        "time_zone": slot.office.time_zone,
        "starts_at": slot.starts_at.isoformat(),
        "purpose": booking.purpose,
    }


@dataclass(frozen=True, kw_only=True)
class BookingMade(DomainEvent):
    """``booking`` is confirmed for its slot: booked, or moved by the applicant from
    ``previous_start``. Its applicant is sent the confirmation, once per booking and time."""

    booking: Booking
    actor: Any
    previous_start: datetime | None = None

    def messages(self) -> Sequence[Message]:
        booking = self.booking
        return (
            Message(
                recipient=booking.application.applicant,
                kind="appointment.booked",
                dedup_key=f"booking:{booking.pk}:booked:{booking.slot.starts_at.isoformat()}",
                context=booking_facts(booking),
            ),
        )


@dataclass(frozen=True, kw_only=True)
class BookingCancelled(DomainEvent):
    """The applicant (or staff for them) cancelled a confirmed ``booking``; its place is free."""

    booking: Booking
    actor: Any


@dataclass(frozen=True, kw_only=True)
class VisitCompleted(DomainEvent):
    """The visit ``booking`` was for took place (served at the counter, or recorded on the case)."""

    booking: Booking
    at: datetime
