"""What data protection shows on other apps' pages: a card on the applicant's home."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from gerbang.core import panels
from gerbang.privacy import selectors
from gerbang.privacy.models import Status


def applicant_home(request: HttpRequest, **facts: Any) -> Mapping[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    waiting = selectors.requests_of(user).filter(status=Status.RECEIVED).count()
    return {"waiting": waiting}


panels.register(
    panels.Panel(panels.APPLICANT_HOME, "privacy/panels/applicant_home.html", applicant_home, order=90)
)
