"""What queue events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.applications.selectors import TIMELINE_TEXT
from gerbang.core.event_text import register


def _ticket(name: Any) -> Any:
    def sentence(details: Mapping[str, Any]) -> str:
        text = str(name) + "."
        if details.get("number"):
            text += " " + _("Ticket %(number)s.") % {"number": details["number"]}
        if details.get("counter"):
            text += " " + _("Counter %(counter)s.") % {"counter": details["counter"]}
        return text

    return sentence


for code, name in {
    "queue.walk_in": gettext_lazy("Walk-in ticket issued"),
    "queue.called": gettext_lazy("Ticket called"),
    "queue.recalled": gettext_lazy("Ticket called again"),
    "queue.completed": gettext_lazy("Service at the counter done"),
    "queue.no_show": gettext_lazy("Ticket holder did not come"),
    "queue.parked": gettext_lazy("Ticket set aside"),
    "queue.returned": gettext_lazy("Ticket back in the queue"),
    "queue.transferred": gettext_lazy("Ticket sent to another lane"),
    "queue.personal_data_erased": gettext_lazy(
        "Priority reason and note of a ticket erased (its retention period ended)"
    ),
}.items():
    register(code, name, _ticket(name))
register("queue.checked_in", TIMELINE_TEXT["queue.checked_in"], _ticket(gettext_lazy("Checked in")))


def _counter(name: Any) -> Any:
    def sentence(details: Mapping[str, Any]) -> str:
        text = str(name) + "."
        if details.get("number"):
            text += " " + _("Counter %(counter)s.") % {"counter": details["number"]}
        return text

    return sentence


register("queue.counter_opened", gettext_lazy("Counter opened"), _counter(gettext_lazy("Counter opened")))
register("queue.counter_closed", gettext_lazy("Counter closed"), _counter(gettext_lazy("Counter closed")))
register("queue.lane_saved", gettext_lazy("Queue lane saved"))
register("queue.counter_saved", gettext_lazy("Counter saved"))
register("queue.rules_set", gettext_lazy("Queue rules changed"))
register("queue.kiosk_registered", gettext_lazy("Kiosk registered"))
register("queue.kiosk_revoked", gettext_lazy("Kiosk removed"))
