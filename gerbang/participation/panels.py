"""What participation shows on pages other apps own (``core.panels``): an invitation to have
one's say on the home page, the surveys a person may still answer on their dashboard, an
office's open surveys on its page, and on the staff home what waits (reported posts, written
answers to read, proposals to answer, late ones flagged)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission
from gerbang.participation import selectors


def have_your_say(request: HttpRequest) -> dict[str, Any] | None:
    match = request.resolver_match
    if match is None or match.view_name != "core:home":
        return None
    return {"participation_open": selectors.open_surveys().count()}


def my_surveys(request: HttpRequest) -> dict[str, Any] | None:
    waiting = [s for s in selectors.open_surveys() if selectors.why_not_answer(request.user, s) is None]
    return {"participation_surveys": waiting[:3]}


def office_surveys(request: HttpRequest, *, office: Any) -> dict[str, Any] | None:
    surveys = list(selectors.open_surveys().filter(office=office)[:3])
    return {"participation_surveys": surveys} if surveys else None


def waiting_work(request: HttpRequest) -> dict[str, Any] | None:
    if not has_permission(request.user, Perm.PARTICIPATION_VIEW):
        return None
    user = request.user
    now = timezone.now()
    awaiting = list(selectors.proposals_to_answer(user))
    moderator = has_permission(user, Perm.PARTICIPATION_MODERATE)
    counts = {
        "hidden": selectors.moderation_count(user) if moderator else 0,
        "texts": selectors.texts_to_moderate(user).count() if moderator else 0,
        "proposals": len(awaiting),
        "overdue": sum(1 for p in awaiting if selectors.is_overdue(p, now)),
    }
    return {"participation": counts} if any(counts.values()) else None


panels.register(
    panels.Panel(panels.PAGE_HELP, "participation/panels/have_your_say.html", have_your_say, order=5),
    panels.Panel(panels.APPLICANT_HOME, "participation/panels/my_surveys.html", my_surveys, order=40),
    panels.Panel(panels.OFFICE_PAGE, "participation/panels/office_surveys.html", office_surveys, order=95),
    panels.Panel(panels.STAFF_WORK, "participation/panels/waiting_work.html", waiting_work, order=40),
)
