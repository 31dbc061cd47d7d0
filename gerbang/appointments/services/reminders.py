"""Reminding applicants of their coming visits."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gerbang.appointments.models import Booking, BookingStatus
from gerbang.appointments.services.records import _booking_context
from gerbang.notifications.models import OutboxMessage
from gerbang.notifications.services import outbox_add

# (name, how long before the visit) — each sent once per booking and time.
REMINDERS = (("day", dt.timedelta(days=1)), ("hours", dt.timedelta(hours=2)))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind everybody whose visit is a day or two hours away (each reminder once per time;
    a reminder is skipped when the booking itself was made inside its window)."""
    now = now or timezone.now()
    sent = 0
    for name, ahead in REMINDERS:
        due = Booking.objects.select_related("slot", "slot__office", "application__applicant").filter(
            status=BookingStatus.CONFIRMED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + ahead,
            confirmed_at__lt=F("slot__starts_at") - ahead,
        )
        if name == "day":
            due = due.filter(slot__starts_at__gt=now + REMINDERS[1][1])
        for booking in due:
            key = f"booking:{booking.pk}:remind:{name}:{booking.slot.starts_at.isoformat()}"
            if OutboxMessage.objects.filter(dedup_key=key).exists():
                continue
            with transaction.atomic():
                outbox_add(
                    recipient=booking.application.applicant,
                    kind="appointment.reminder",
                    dedup_key=key,
                    context={**_booking_context(booking), "when": name},
                )
            sent += 1
    return sent
