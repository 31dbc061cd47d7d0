"""What the satisfaction app's events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register
from gerbang.satisfaction.models import RejectReason, SuggestionStatus


def _given(details: Mapping[str, Any]) -> str:
    stars = int(details.get("stars") or 0)
    if details.get("review"):
        return _("Rated %(stars)d of 5, with a review to moderate.") % {"stars": stars}
    return _("Rated %(stars)d of 5.") % {"stars": stars}


def _changed(details: Mapping[str, Any]) -> str:
    return _("Rating changed to %(stars)d of 5.") % {"stars": int(details.get("stars") or 0)}


def _approved(details: Mapping[str, Any]) -> str:
    if details.get("masked"):
        return _("Review published, with the personal data found in it masked.")
    return _("Review published.")


def _rejected(details: Mapping[str, Any]) -> str:
    reason = details.get("reason", "")
    label = RejectReason(reason).label if reason in RejectReason.values else reason
    return _("Review not published: %(reason)s.") % {"reason": label}


def _decided(details: Mapping[str, Any]) -> str:
    status = details.get("status", "")
    label = SuggestionStatus(status).label if status in SuggestionStatus.values else status
    return _("Suggestion set to “%(status)s”.") % {"status": label}


register("satisfaction.invited", gettext_lazy("Invited to rate the service"))
register("rating.given", gettext_lazy("Service rated"), _given)
register("rating.changed", gettext_lazy("Rating changed"), _changed)
register("rating.approved", gettext_lazy("Review published"), _approved)
register("rating.rejected", gettext_lazy("Review not published"), _rejected)
register("rating.replied", gettext_lazy("Office replied to a review"))
register("rating.viewed", gettext_lazy("Review read by staff (read logged)"))
register("suggestion.made", gettext_lazy("Suggestion made"))
register("suggestion.decided", gettext_lazy("Suggestion status changed"), _decided)
register("suggestion.viewed", gettext_lazy("Suggestion read by staff (read logged)"))
register(
    "satisfaction.person_erased",
    gettext_lazy("A person's ratings and suggestions unlinked from them, their words erased"),
)
