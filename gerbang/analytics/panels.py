"""What the analytics show on pages other apps own (``core.panels``): the risk flags on the
officer's case page, and the open flags on the staff home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gerbang.analytics.risk.forms import FlagDecisionForm
from gerbang.analytics.risk.selectors import flags_of_case, may_review, open_count
from gerbang.applications.models import Application
from gerbang.core import panels


def risk_flags(request: HttpRequest, *, application: Application, form: Any = None) -> dict[str, Any] | None:
    """The case's flags with their reasons, and the decision form on each open one (as posted
    when it was refused, so what was typed stays)."""
    if not may_review(request.user, application):
        return None
    views = flags_of_case(application, request.user)
    if not views:
        return None
    forms = {}
    for view in views:
        if view.flag.is_open:
            posted = isinstance(form, FlagDecisionForm) and form.flag_id == view.flag.pk
            forms[view.flag.pk] = form if posted else FlagDecisionForm(flag_id=view.flag.pk)
    return {"risk_flags": [(view, forms.get(view.flag.pk)) for view in views]}


def open_flags(request: HttpRequest) -> dict[str, Any] | None:
    if not may_review(request.user):
        return None
    return {"open_risk_flags": open_count(request.user)}


panels.register(
    panels.Panel(
        panels.STAFF_CASE, "analytics/risk/panel.html", risk_flags, order=5, jump=("risk", _("Risk flags"))
    ),
    panels.Panel(panels.STAFF_WORK, "analytics/risk/work_card.html", open_flags, order=25),
)
