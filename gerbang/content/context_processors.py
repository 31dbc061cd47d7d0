from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.content.models import Level
from gerbang.content.selectors import active_announcements, emergency_banners, office_emergencies


def _viewed_office_id(request: HttpRequest) -> int | None:
    """The office whose page this is, if it is an office's page."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != "catalog:office_detail":
        return None
    from gerbang.catalog.models import Office

    return Office.objects.filter(code=match.kwargs.get("code")).values_list("pk", flat=True).first()


def _office_ids_for(request: HttpRequest, viewed: int | None) -> list[int]:
    """The offices a page concerns: the office being viewed, and a staff member's own offices."""
    ids: list[int] = [] if viewed is None else [viewed]
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_staff_role", False):
        from gerbang.accounts.scoping import office_ids_of

        ids.extend(office_ids_of(user))
    return ids


def emergencies(request: HttpRequest) -> dict[str, Any]:
    """Emergency notices for the banner: national ones on every page, an office's own on the
    pages about that office and for its staff."""
    viewed = _viewed_office_id(request)
    context: dict[str, Any] = {
        "emergency_notices": emergency_banners(office_ids=_office_ids_for(request, viewed))
    }
    if viewed is not None:
        # The office's page also lists its other notices in force (the catalogue's page knows
        # no notices: content sits above the catalogue).
        context["office_notices"] = [
            n
            for n in active_announcements(office_ids=[viewed])
            if n.office_id == viewed and n.level != Level.EMERGENCY
        ]
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "core:home":
        # Where people start: every office's emergency in one line each, linked to its office.
        shown = {notice.pk for notice in context["emergency_notices"]}
        context["office_emergencies"] = [n for n in office_emergencies() if n.pk not in shown]
    return context
