"""What feedback shows on pages other apps own (``core.panels``): where applicants ask an
office a question or file a report (also from an office's page and a case's page), and the
questions and reports waiting on the staff home."""

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


def office_report(request: HttpRequest, *, office: Any) -> dict[str, Any]:
    return {"office": office}


def case_report(request: HttpRequest, *, application: Any) -> dict[str, Any] | None:
    if application.number is None:
        return None
    return {"application": application}


panels.register(
    panels.Panel(panels.APPLICANT_HOME, "feedback/panels/my_questions.html", my_questions, order=20),
    panels.Panel(panels.STAFF_WORK, "feedback/panels/waiting_questions.html", waiting_questions, order=20),
    panels.Panel(panels.STAFF_WORK, "feedback/panels/open_reports.html", open_reports, order=21),
    panels.Panel(panels.OFFICE_PAGE, "feedback/panels/office_report.html", office_report, order=90),
    panels.Panel(panels.APPLICANT_CASE, "feedback/panels/case_report.html", case_report, order=90),
)
