"""What catalogue events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
register("service.terms_set", gettext_lazy("Fee and service standard set"), _terms)
register("office.service_availability_changed", gettext_lazy("Service availability changed"), _availability)
