"""What the exchange's events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register
from gerbang.integrations.models import CheckKind, Resolution


def _kind(details: Mapping[str, Any]) -> str:
    kind = details.get("kind", "")
    return str(CheckKind(kind).label) if kind in CheckKind.values else str(kind)


VERDICTS = {
    "match": gettext_lazy("every field matches"),
    "mismatch": gettext_lazy("some fields do not match"),
    "partial": gettext_lazy("not every field was answered"),
    "not_found": gettext_lazy("not found in the registry"),
    "no_hit": gettext_lazy("not on any list"),
    "hit": gettext_lazy("on a list"),
    "possible_hit": gettext_lazy("possibly on a list"),
    "sponsor_good": gettext_lazy("the sponsor is in good standing"),
    "sponsor_suspended": gettext_lazy("the sponsor is suspended"),
    "sponsor_unknown": gettext_lazy("the sponsor is unknown"),
    "official_in_process": gettext_lazy("the ministry is still processing the request"),
    "official_issued": gettext_lazy("the ministry has issued the passport"),
    "official_refused": gettext_lazy("the ministry refused the request"),
    "official_not_found": gettext_lazy("the ministry knows no such request"),
}


def _answered(details: Mapping[str, Any]) -> str:
    verdict = details.get("verdict", "")
    return _("%(check)s answered: %(verdict)s.") % {
        "check": _kind(details),
        "verdict": VERDICTS.get(verdict, verdict),
    }


def _manual(details: Mapping[str, Any]) -> str:
    return _("%(check)s verified by the officer by other means (the agency did not answer: %(reason)s).") % {
        "check": _kind(details),
        "reason": details.get("last_failure", ""),
    }


def _exchange(details: Mapping[str, Any]) -> str:
    text = _("%(direction)s %(agency)s, %(service)s") % {
        "direction": _("Asked") if details.get("direction") == "out" else _("Asked by"),
        "agency": details.get("agency") or "?",
        "service": details.get("service", ""),
    }
    if details.get("reason"):
        text += f" ({details['reason']})"
    return text + "."


register("application.check_answered", gettext_lazy("Check with a partner agency answered"), _answered)
register(
    "application.check_verified_manually",
    gettext_lazy("Check with a partner agency verified by an officer"),
    _manual,
)


def _resolved(details: Mapping[str, Any]) -> str:
    resolution = details.get("resolution", "")
    label = Resolution(resolution).label if resolution in Resolution.values else resolution
    return _("%(check)s: %(finding)s.") % {"check": _kind(details), "finding": label}


register("application.check_resolved", gettext_lazy("Watch-list finding recorded by an officer"), _resolved)
register("exchange.answered", gettext_lazy("Question to or from a partner agency answered"), _exchange)
register("exchange.refused", gettext_lazy("Question from a partner agency refused"), _exchange)
register("exchange.failed", gettext_lazy("Question to a partner agency unanswered"), _exchange)
register("exchange.agency_registered", gettext_lazy("Partner agency registered"))
register("exchange.agency_changed", gettext_lazy("Partner agency changed"))
register("exchange.key_added", gettext_lazy("Partner agency's key added"))
register("exchange.key_retired", gettext_lazy("Partner agency's key retired"))
register("exchange.grant_set", gettext_lazy("Partner agency granted a service"))
register("exchange.grant_revoked", gettext_lazy("Partner agency's grant revoked"))
