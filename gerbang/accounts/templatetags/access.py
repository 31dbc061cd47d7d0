"""Menus ask the same permission table as the views they link to: ``{% may "queue.manage" office as can %}``."""

from __future__ import annotations

from typing import Any

from django import template

from gerbang.accounts.permissions import Perm, has_permission

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, perm: str, office: Any = None) -> bool:
    """Whether the signed-in user may open what needs ``perm`` (for ``office`` when given)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return has_permission(
        user, Perm(perm), office_id=getattr(office, "pk", None) if office is not None else None
    )
