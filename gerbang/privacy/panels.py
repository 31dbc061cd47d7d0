"""What data protection shows on other apps' pages: a card on the applicant's home."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission
from gerbang.privacy import selectors
from gerbang.privacy.models import Status


def applicant_home(request: HttpRequest, **facts: Any) -> Mapping[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    waiting = selectors.requests_of(user).filter(status=Status.RECEIVED).count()
    return {"waiting": waiting}


def waiting_requests(request: HttpRequest, **facts: Any) -> Mapping[str, Any] | None:
    """For the data-protection officer: the requests waiting for an answer, and how many are late."""
    if not has_permission(request.user, Perm.PRIVACY_MANAGE):
        return None
    waiting, overdue = selectors.waiting_counts()
    return {"waiting": waiting, "overdue": overdue}


panels.register(
    panels.Panel(panels.APPLICANT_HOME, "privacy/panels/applicant_home.html", applicant_home, order=90),
    panels.Panel(panels.STAFF_WORK, "privacy/panels/waiting_requests.html", waiting_requests, order=90),
)
