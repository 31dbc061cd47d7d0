"""What the IKM shows on pages other apps own (``core.panels``): the questionnaire offered on
the rating page and on the applicant's dashboard (invitations not answered yet), and the
office's index on its page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.core import panels
from gerbang.ikm import selectors


def rating_page(request: HttpRequest, *, invitation: Any) -> dict[str, Any] | None:
    if not selectors.is_open(invitation):
        return None
    return {"ikm_invitation": invitation}


def applicant_home(request: HttpRequest) -> dict[str, Any] | None:
    invitations = selectors.open_invitations_of(request.user)
    if not invitations:
        return None
    return {"ikm_invitations": invitations}


def office_page(request: HttpRequest, *, office: Any) -> dict[str, Any] | None:
    result = selectors.office_latest(office)
    if result is None:
        return None
    return {"ikm_result": result}


panels.register(
    panels.Panel(panels.RATING_PAGE, "ikm/panels/rating_page.html", rating_page, order=50),
    panels.Panel(panels.APPLICANT_HOME, "ikm/panels/applicant_home.html", applicant_home, order=40),
    panels.Panel(panels.OFFICE_PAGE, "ikm/panels/office_page.html", office_page, order=80),
)
