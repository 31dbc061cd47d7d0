"""What catalogue events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core import formatting
from gerbang.core.event_text import register


def _closure(name: Any) -> Any:
    def sentence(details: Mapping[str, Any]) -> str:
        return _("%(what)s: from %(start)s to %(end)s.") % {
            "what": name,
            "start": details.get("from", "—"),
            "end": details.get("until", "—"),
        }

    return sentence


def _terms(details: Mapping[str, Any]) -> str:
    return _("Fee and service standard of %(service)s set, in force from %(start)s.") % {
        "service": details.get("service", "—"),
        "start": details.get("effective_from", "—"),
    }


def _availability(details: Mapping[str, Any]) -> str:
    if details.get("available"):
        return _("%(service)s offered again at the office.") % {"service": details.get("service", "—")}
    return _("%(service)s stopped at the office.") % {"service": details.get("service", "—")}


register(
    "office.closure_added",
    gettext_lazy("Office closure added"),
    _closure(gettext_lazy("Office closure added")),
)
register(
    "office.closure_removed",
    gettext_lazy("Office closure removed"),
    _closure(gettext_lazy("Office closure removed")),
)


def _office_saved(details: Mapping[str, Any]) -> str:
    if details.get("created"):
        return _("Office added.")
    return _("Office details changed: %(fields)s.") % {
        "fields": ", ".join(details.get("fields") or []) or "—"
    }


register("office.saved", gettext_lazy("Office details saved"), _office_saved)
register("service.terms_set", gettext_lazy("Fee and service standard set"), _terms)
register("office.service_availability_changed", gettext_lazy("Service availability changed"), _availability)


def _hours(details: Mapping[str, Any]) -> str:
    periods = [
        f"{WEEKDAYS_ABBR[day]} {opens}\u2013{closes}"
        for day, opens, closes in details.get("periods", [])
        if isinstance(day, int) and 0 <= day <= 6
    ]
    return _("Opening hours set: %(hours)s.") % {"hours": ", ".join(periods) or _("closed every day")}


def _moment(value: Any) -> str:
    """A recorded ISO moment as people read it (the codes stay in the export)."""
    try:
        return formatting.moment(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value or "—")


def _suspended(details: Mapping[str, Any]) -> str:
    return _("%(services)s stopped at the office by a notice, from %(start)s until %(end)s.") % {
        "services": ", ".join(details.get("services", [])) or "—",
        "start": _moment(details.get("from")),
        "end": _moment(details["until"]) if details.get("until") else _("further notice"),
    }


def _resumed(details: Mapping[str, Any]) -> str:
    return _("%(services)s offered again at the office: the notice that stopped them was lifted.") % {
        "services": ", ".join(details.get("services", [])) or "—"
    }


register("office.hours_set", gettext_lazy("Opening hours set"), _hours)
register("office.services_suspended", gettext_lazy("Services stopped by a notice"), _suspended)
register("office.services_resumed", gettext_lazy("Services resumed"), _resumed)
