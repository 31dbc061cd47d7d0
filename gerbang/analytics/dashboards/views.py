"""The dashboards' pages in the back office: one office's (a supervisor's offices, every office
for the national administrators) and the national view. Another office's figures are not found
(404), as its cases are not."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.analytics.dashboards import figures
from gerbang.analytics.dashboards.forms import OfficeDashboardForm, PeriodForm
from gerbang.analytics.dashboards.periods import DEFAULT, PeriodChoice, Span
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import office_today


def _offices(user: Any) -> list[Office]:
    """The offices whose figures ``user`` may see, by name (closed ones too: their cases count)."""
    return list(scope_to_offices(Office.objects.order_by("name_id", "pk"), user, office_field="pk"))


def _period(form: PeriodForm) -> PeriodChoice:
    form.is_valid()
    return PeriodChoice(form.cleaned_data.get("period") or DEFAULT)


def _with_defaults(params: QueryDict, **defaults: str) -> QueryDict:
    data = params.copy()
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    return data


def office_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.DASHBOARD_VIEW)
    offices = _offices(user)
    asked = request.GET.get("office", "")
    office = next((each for each in offices if each.code == asked), None) if asked else None
    if asked and office is None:
        raise Http404
    office = office or (offices[0] if offices else None)
    context: dict[str, Any] = {
        "offices": offices,
        "office": office,
        "can_national": has_permission(user, Perm.DASHBOARD_NATIONAL),
    }
    if office is None:
        context["form"] = OfficeDashboardForm(request.GET, offices=offices)
        return render(request, "analytics/dashboard/office.html", context)
    require_permission(user, Perm.DASHBOARD_VIEW, office_id=office.pk)
    form = OfficeDashboardForm(
        _with_defaults(request.GET, office=office.code, period=DEFAULT), offices=offices
    )
    span = Span.ending(office_today(office), _period(form))
    context.update(
        form=form,
        span=span,
        figures=figures.for_offices(user, [office], span, officers=True)[0],
    )
    return render(request, "analytics/dashboard/office.html", context, status=400 if form.errors else 200)


def national_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.DASHBOARD_NATIONAL)
    form = PeriodForm(_with_defaults(request.GET, period=DEFAULT))
    # The same calendar days for every office, each counting them where it is.
    span = Span.ending(timezone.localdate(), _period(form))
    # The training office's synthetic cases count in no national figure (docs/training.md).
    national = figures.national(user, [office for office in _offices(user) if not office.is_training], span)
    return render(
        request,
        "analytics/dashboard/national.html",
        {"form": form, "span": span, "national": national, "states": figures.BACKLOG_STATES},
        status=400 if form.errors else 200,
    )
