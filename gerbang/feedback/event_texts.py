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
register("consultation.attachment_viewed", gettext_lazy("File of a question opened by staff (read logged)"))


def _report_closed(details: Mapping[str, Any]) -> str:
    by = details.get("by")
    if by == "reporter":
        return _("Report closed: the reporter confirmed it is settled.")
    if by == "silence":
        return _("Report closed after the reporter's silence following the answer.")
    return _("Report closed by the office.")


def _report_escalated(details: Mapping[str, Any]) -> str:
    if details.get("level") == 1:
        return _("Overdue report escalated to the office's supervisors.")
    return _("Overdue report escalated to the national complaints unit.")


def _report_answered(details: Mapping[str, Any]) -> str:
    if details.get("late"):
        return _("Report answered, after its due date.")
    return _("Report answered.")


register("report.submitted", gettext_lazy("Report received"))
register("report.verified", gettext_lazy("Report verified and routed"))
register("report.postponed", gettext_lazy("More information asked of the reporter"))
register("report.referred", gettext_lazy("Referred: not the authority's matter"))
register("report.archived", gettext_lazy("Report archived"))
register("report.routed", gettext_lazy("Report routed on (disposisi)"))
register("report.answered", gettext_lazy("Report answered"), _report_answered)
register("report.info_provided", gettext_lazy("Reporter gave more information"))
register("report.replied", gettext_lazy("Reporter added to the report"))
register("report.not_resolved", gettext_lazy("Reporter said it is not resolved"))
register("report.closed", gettext_lazy("Report closed"), _report_closed)
register("report.escalated", gettext_lazy("Report escalated"), _report_escalated)
register("report.viewed", gettext_lazy("Report read by staff (read logged)"))
register("report.attachment_viewed", gettext_lazy("File of a report opened by staff (read logged)"))
register(
    "consultation.texts_erased", gettext_lazy("Question's texts erased at the end of its retention period")
)
register(
    "report.texts_erased", gettext_lazy("Report's texts and files erased at the end of its retention period")
)
