"""``{% training_banner %}``: the back office's mark on every page working in or on the training
office (docs/training.md), and ``{% tour_steps %}``: the guided tour's steps for the script."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import json_script

from gerbang.catalog.models import Office
from gerbang.training import selectors, tour

register = template.Library()

# The page facts that may be, or belong to, an office (in that order).
_FACTS = ("office", "application", "case", "ticket", "counter", "booking", "consultation", "report", "bill")


def _office_of(value: Any) -> Office | None:
    if isinstance(value, Office):
        return value
    office = getattr(value, "office", None)
    return office if isinstance(office, Office) else None


def is_training_page(context: template.Context) -> bool:
    """Whether the page works in or on the training office: one of its facts is that office or
    belongs to it, its address names it, or it filters by it."""
    for name in _FACTS:
        office = _office_of(context.get(name))
        if office is not None and office.is_training:
            return True
    request = context.get("request")
    if request is None:
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.url_name or "").startswith("training"):
        return True
    code = match.kwargs.get("code") if match is not None else None
    asked = request.GET.get("office", "")
    if code is None and not asked.isdigit():
        return False
    office = selectors.training_office()
    return office is not None and (code == office.code or asked == str(office.pk))


@register.inclusion_tag("training/banner.html", takes_context=True)
def training_banner(context: template.Context) -> dict[str, Any]:
    return {"shown": is_training_page(context)}


@register.simple_tag(takes_context=True)
def tour_steps(context: template.Context) -> str:
    """The tour's steps as JSON data (never run: CSP allows no inline script), for tour.js."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return json_script(tour.steps_json(user), "tour-steps")
