"""What consultation events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register


def _closed(details: Mapping[str, Any]) -> str:
    if details.get("by") == "asker":
        return _("Question closed by the person who asked.")
    return _("Question closed by the office.")


def _answered(details: Mapping[str, Any]) -> str:
    if details.get("late"):
        return _("Question answered, after the answer time.")
    return _("Question answered.")


register("consultation.opened", gettext_lazy("Question asked"))
register("consultation.followed_up", gettext_lazy("Question followed up"))
register("consultation.answered", gettext_lazy("Question answered"), _answered)
register("consultation.closed", gettext_lazy("Question closed"), _closed)
register("consultation.viewed", gettext_lazy("Question read by staff (read logged)"))
