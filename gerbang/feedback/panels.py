"""What feedback shows on pages other apps own (``core.panels``): where applicants ask an
office a question, and the questions waiting for an answer on the staff home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission
from gerbang.feedback import report_selectors
from gerbang.feedback.selectors import waiting_counts


def my_questions(request: HttpRequest) -> dict[str, Any]:
    return {}


def waiting_questions(request: HttpRequest) -> dict[str, Any] | None:
    if not has_permission(request.user, Perm.CONSULTATION_VIEW):
        return None
    return {"questions": waiting_counts(request.user)}


def open_reports(request: HttpRequest) -> dict[str, Any] | None:
    if not (
        has_permission(request.user, Perm.REPORT_VIEW) or has_permission(request.user, Perm.REPORT_NATIONAL)
    ):
        return None
    return {"reports": report_selectors.open_counts(request.user)}


panels.register(
    panels.Panel(panels.APPLICANT_HOME, "feedback/panels/my_questions.html", my_questions, order=20),
    panels.Panel(panels.STAFF_WORK, "feedback/panels/waiting_questions.html", waiting_questions, order=20),
    panels.Panel(panels.STAFF_WORK, "feedback/panels/open_reports.html", open_reports, order=21),
)
