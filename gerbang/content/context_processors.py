from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.content.campaigns import hidden_ids
from gerbang.content.selectors import emergency_banners, office_emergencies, running_campaigns


def _office_ids_for(request: HttpRequest) -> list[int]:
    """The offices a page concerns: the office being viewed, and a staff member's own offices."""
    ids: list[int] = []
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "catalog:office_detail":
        from gerbang.catalog.models import Office

        office_id = Office.objects.filter(code=match.kwargs.get("code")).values_list("pk", flat=True).first()
        if office_id is not None:
            ids.append(office_id)
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_staff_role", False):
        from gerbang.core.scoping import office_ids_of

        ids.extend(office_ids_of(user))
    return ids


def emergencies(request: HttpRequest) -> dict[str, Any]:
    """Emergency notices for the banner: national ones on every page, an office's own on the
    pages about that office and for its staff."""
    context: dict[str, Any] = {"emergency_notices": emergency_banners(office_ids=_office_ids_for(request))}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "core:home":
        # Where people start: every office's emergency in one line each, linked to its office.
        shown = {notice.pk for notice in context["emergency_notices"]}
        context["office_emergencies"] = [n for n in office_emergencies() if n.pk not in shown]
    context["scam_campaigns"] = _campaigns(request, match)
    return context


def _campaigns(request: HttpRequest, match: object) -> list[object]:
    """Scam-awareness warnings running now, for the public pages of their scope: national ones
    everywhere, an office's on its page; not in the back office, not on the applicant's
    dashboard (its own panel shows them there, with the offices they applied to), not on the
    campaigns' own page, and not those the visitor hid."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_staff_role", False):
        return []
    view_name = getattr(match, "view_name", "")
    if view_name in {"accounts:dashboard", "content:campaigns"} or str(view_name).startswith("backoffice:"):
        return []
    return list(running_campaigns(office_ids=_office_ids_for(request), hidden=hidden_ids(request)))
