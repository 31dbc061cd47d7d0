"""What appointment events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.applications.selectors import STAFF_TIMELINE_TEXT, TIMELINE_TEXT
from gerbang.core.event_text import register


def _booking(code: str) -> Any:
    def sentence(details: Mapping[str, Any]) -> str:
        text = str(TIMELINE_TEXT[code])
        if details.get("booking"):
            text += " " + _("Booking code %(code)s.") % {"code": details["booking"]}
        if details.get("reason"):
            text += " " + _("Reason: %(reason)s.") % {"reason": details["reason"]}
        return text

    return sentence


for code in (
    "appointment.booked",
    "appointment.rescheduled",
    "appointment.cancelled",
    "appointment.moved",
    "appointment.cancelled_by_office",
):
    register(code, TIMELINE_TEXT[code], _booking(code))


def _closed(details: Mapping[str, Any]) -> str:
    return _(
        "Office closed from %(start)s to %(end)s: %(moved)s appointments moved, %(cancelled)s cancelled."
    ) % {
        "start": details.get("from", "—"),
        "end": details.get("until", "—"),
        "moved": details.get("moved", 0),
        "cancelled": details.get("cancelled", 0),
    }


register("appointment.office_closed", gettext_lazy("Appointments handled for a closure"), _closed)
register("appointment.hours_set", gettext_lazy("Visiting hours set"))
register("appointment.hours_removed", gettext_lazy("Visiting hours removed"))
register("appointment.rules_set", gettext_lazy("Booking rules changed"))
register("appointment.quota_set", gettext_lazy("Daily quota of a service set"))


register(
    "appointment.personal_data_erased",
    gettext_lazy("Personal data of a booking erased"),
    lambda details: str(STAFF_TIMELINE_TEXT["appointment.personal_data_erased"]),
)
