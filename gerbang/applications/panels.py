"""What applications shows on pages other apps own (``core.panels``): the applicant's
applications on their dashboard, the open and overdue cases on the staff home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.applications.selectors import application_cards, case_counts
from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission


def my_applications(request: HttpRequest) -> dict[str, Any]:
    return {"cards": application_cards(request.user)}


def case_numbers(request: HttpRequest) -> dict[str, Any] | None:
    if not has_permission(request.user, Perm.CASE_VIEW):
        return None
    return {"case_numbers": case_counts(request.user)}


panels.register(
    panels.Panel(
        panels.APPLICANT_HOME, "applications/panels/my_applications.html", my_applications, order=10
    ),
    panels.Panel(panels.STAFF_WORK, "applications/panels/case_numbers.html", case_numbers, order=10),
)
