"""The messages about visits: a booking made, its reminders, a booking the office moved or
cancelled, an office's notice to the people booked; registered with ``gerbang.core.messages``,
templates in ``templates/appointments/messages/``. Built on the case's facts."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from gerbang.applications.messages import case_context, case_sample
from gerbang.appointments.models import Purpose
from gerbang.appointments.selectors import booking_by_code
from gerbang.core import messages
from gerbang.core.messages import EMAIL_AND_SMS, Group, Kind, StoredMessage

TEMPLATES = "appointments/messages"


def appointment_context(message: StoredMessage) -> dict[str, Any]:
    """The case's facts and the booking as it is now (a late message shows the current time),
    with the time before a change and the office's words, in the reader's language."""
    context = case_context(message)
    if "application" not in context:
        return context
    booking = booking_by_code(message.context.get("code", ""))
    previous = message.context.get("previous")
    language = translation.get_language()
    context.update(
        {
            "booking": booking,
            "previous_at": parse_datetime(previous) if previous else None,
            "link": f"{settings.SITE_URL}{reverse('appointments:booking', args=[booking.application_id])}"
            if booking
            else "",
            "reason": message.context.get(f"reason_{language}") or message.context.get("reason_id", ""),
            "notice_title": message.context.get(f"title_{language}", ""),
            "notice_body": message.context.get(f"body_{language}", ""),
        }
    )
    return context


def appointment_sample() -> dict[str, Any]:
    sample = case_sample()
    starts_at = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=3)
    sample.update(
        {
            "booking": SimpleNamespace(
                code="7K3Q-H9TX-M",
                slot=SimpleNamespace(starts_at=starts_at, office=sample["application"].office),
                get_purpose_display=lambda: str(Purpose.INTERVIEW.label),
            ),
            "previous_at": starts_at - timedelta(days=1),
            "link": f"{settings.SITE_URL}/applications/1/appointment/",
            "notice_title": "Layanan ditutup / Services closed",
            "notice_body": "Banjir. / Flood.",
        }
    )
    return sample


messages.register_group(
    Group(
        "appointment",
        _("Appointments"),
        _("A booking made, reminders a day and two hours before, changes by the office, its notices."),
        EMAIL_AND_SMS,
        order=30,
    )
)


def _visit_kind(code: str, template: str, *, bulk: bool = False) -> Kind:
    return Kind(
        code=code,
        group="appointment",
        template=f"{TEMPLATES}/{template}",
        context=appointment_context,
        sample=appointment_sample,
        bulk=bulk,
    )


messages.register(
    _visit_kind("appointment.booked", "appointment_booked"),
    _visit_kind("appointment.reminder", "appointment_reminder", bulk=True),
    _visit_kind("appointment.moved", "appointment_moved"),
    _visit_kind("appointment.cancelled_by_office", "appointment_cancelled"),
    _visit_kind("appointment.office_notice", "office_notice", bulk=True),
)
