from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.content.selectors import emergency_banners, office_emergencies


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
    return context
