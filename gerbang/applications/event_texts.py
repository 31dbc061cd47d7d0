"""What application events mean, in words (see ``gerbang.core.event_text``). The sentences are
the case timeline's own (``selectors.TIMELINE_TEXT``), with the details staff need."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from gerbang.applications.selectors import STAFF_TIMELINE_TEXT, TIMELINE_TEXT
from gerbang.applications.workflow import Action, RejectionReason, State
from gerbang.core.event_text import register


def _state(value: Any) -> str:
    return str(State(value).label) if value in State.values else str(value or "—")


def _sentence(code: str) -> Any:
    text = STAFF_TIMELINE_TEXT.get(code) or TIMELINE_TEXT.get(code, code)

    def sentence(details: Mapping[str, Any]) -> str:
        parts = [str(text)]
        if details.get("from") and details.get("to"):
            parts.append(
                _("From “%(from)s” to “%(to)s”.")
                % {"from": _state(details["from"]), "to": _state(details["to"])}
            )
        reason_code = details.get("reason_code")
        if reason_code in RejectionReason.values:
            parts.append(_("Reason: %(reason)s.") % {"reason": RejectionReason(reason_code).label})
        if details.get("reason"):
            parts.append(_("Explanation: %(text)s") % {"text": details["reason"]})
        if details.get("slot"):
            parts.append(_("Document: %(slot)s.") % {"slot": details["slot"]})
        if details.get("fields"):
            parts.append(_("Answers: %(fields)s.") % {"fields": ", ".join(details["fields"])})
        if details.get("step"):
            parts.append(_("Step: %(step)s.") % {"step": details["step"]})
        if details.get("on_behalf"):
            parts.append(_("Entered by the officer on behalf of the applicant (assisted application)."))
        return " ".join(parts)

    return sentence


for action in Action:
    code = f"application.{action.value}"
    register(code, TIMELINE_TEXT.get(code, code), _sentence(code))
for code in (
    "application.created",
    "application.answers_corrected",
    "application.document_uploaded",
    "application.document_verified",
    "application.assigned",
    "application.case_viewed",
    "application.document_viewed",
    "application.personal_data_erased",
    "application.draft_deleted",
    "application.assisted_consent_recorded",
    "application.assisted_step_saved",
    "application.takeover_code_issued",
    "application.taken_over",
):
    register(code, STAFF_TIMELINE_TEXT.get(code) or TIMELINE_TEXT[code], _sentence(code))
