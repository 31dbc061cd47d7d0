"""What the analytics' events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.analytics.models import FlagStatus, RiskKind
from gerbang.core.event_text import register


def _kind(details: Mapping[str, Any]) -> str:
    kind = details.get("kind", "")
    return str(RiskKind(kind).label) if kind in RiskKind.values else str(kind)


def _raised(details: Mapping[str, Any]) -> str:
    if details.get("reopened"):
        return _("Risk flag raised again on new evidence: %(kind)s.") % {"kind": _kind(details)}
    return _("Risk flag raised: %(kind)s.") % {"kind": _kind(details)}


def _decided(details: Mapping[str, Any]) -> str:
    decision = details.get("decision", "")
    label = FlagStatus(decision).label if decision in FlagStatus.values else decision
    return _("Risk flag decided: %(decision)s (%(kind)s).") % {"decision": label, "kind": _kind(details)}


def _withdrawn(details: Mapping[str, Any]) -> str:
    return _("Risk flag withdrawn, no longer found: %(kind)s.") % {"kind": _kind(details)}


def _fitted(details: Mapping[str, Any]) -> str:
    return _("Anomaly model refitted on %(cases)d recent applications.") % {
        "cases": int(details.get("cases") or 0)
    }


register("risk.flag_raised", gettext_lazy("Risk flag raised"), _raised)
register("risk.flag_decided", gettext_lazy("Risk flag decided"), _decided)
register("risk.flag_withdrawn", gettext_lazy("Risk flag withdrawn"), _withdrawn)
register(
    "risk.flag_details_erased",
    gettext_lazy("A risk flag's details erased with the case's personal data"),
)
register("risk.model_fitted", gettext_lazy("Anomaly model refitted"), _fitted)

# Demand forecasts (analytics/forecast/).
register("forecast.computed", gettext_lazy("Demand forecasts of the office computed again"))
register("forecast.quotas_applied", gettext_lazy("Daily quotas suggested by the forecast applied"))
