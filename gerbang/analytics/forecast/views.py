"""The back office's demand forecast: per office (those the person may see) and service, the
chart and table of past weeks and the forecast, the backtest against the naive baseline, and the
suggested daily quotas that an office administrator reviews and applies with one action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.analytics.forecast import charts, explain, selectors, services
from gerbang.analytics.forecast.forms import QuotasForm, field_name
from gerbang.analytics.models import ForecastMethod, ForecastSeries
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office, Service
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error, refusal_of
from gerbang.core.http import csp_allow
from gerbang.core.permissions import Perm, has_permission, require_permission


def _office(request: AuthenticatedRequest, code: str) -> Office:
    office = catalog.office_by_code(code)
    if office is None:
        raise Http404
    require_permission(request.user, Perm.FORECAST_VIEW, office_id=office.pk)
    return office


def _service(request: AuthenticatedRequest, office: Office) -> Service | None:
    """The service asked for (``?service=<code>``) among those the office offers; none asked:
    all its services together."""
    code = request.GET.get("service", "")
    if not code:
        return None
    found = next((service for service in services.offered_services(office) if service.code == code), None)
    if found is None:
        raise Http404
    return found


def forecast_home(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.FORECAST_VIEW)
    offices = selectors.offices_for(request.user)
    if len(offices) == 1:
        return redirect("backoffice:forecast_office", code=offices[0].code)
    return render(request, "analytics/forecast/home.html", {"offices": offices})


def _page(
    request: AuthenticatedRequest,
    office: Office,
    form: QuotasForm | None = None,
    suggestion: selectors.Suggestion | None = None,
    status: int = 200,
) -> HttpResponse:
    service = _service(request, office)
    run = selectors.latest_run(office)
    series: ForecastSeries | None = selectors.series_of(run, service) if run else None
    manager = has_permission(request.user, Perm.OFFICE_MANAGE, office_id=office.pk)
    if suggestion is None and run is not None:  # a refused form brings the one it was checked against
        suggestion = selectors.suggestion(office, run)
    if suggestion is not None and form is None:
        form = QuotasForm(
            rows=suggestion.applicable, groups=suggestion.groups, initial={"run": run.pk if run else None}
        )
    context: dict[str, Any] = {
        "office": office,
        "others": [other for other in selectors.offices_for(request.user) if other != office],
        "services": services.offered_services(office),
        "service": service,
        "run": run,
        "series": series,
        "points": charts.points(series) if series else [],
        "forecast_shown": series is not None and series.method != ForecastMethod.NONE,
        "method_text": explain.method(series) if series else "",
        "unseen_text": explain.unseen(series) if series else None,
        "backtest_text": explain.backtest(series) if series else None,
        "run_notes": explain.run_notes(run) if run else [],
        "manager": manager,
        "suggestion": suggestion,
        "groups": [
            {
                "group": group,
                "capacity": explain.capacity(group),
                "rows": [
                    {
                        "row": row,
                        "explanation": explain.quota(row, group),
                        "field": form[field_name(row.service.code)]
                        if form and row.suggested is not None
                        else None,
                    }
                    for row in group.rows
                ],
            }
            for group in (suggestion.groups if suggestion else [])
        ],
        "form": form,
        # A refused form: what was wrong, at the top of the page, each linked to its field.
        "problems": refusal_of("quotas", form=form).problems if form is not None and form.errors else (),
        "chart_query": f"?service={service.code}" if service else "",
    }
    return render(request, "analytics/forecast/office.html", context, status=status)


@require_GET
def forecast_office(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _page(request, _office(request, code))


@require_GET
# The SVG carries its own style sheet (pygal's); shown as an image, it runs no script.
@csp_allow({"style-src": ["'unsafe-inline'"]})
def forecast_chart(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = _office(request, code)
    service = _service(request, office)
    run = selectors.latest_run(office)
    series = selectors.series_of(run, service) if run else None
    if series is None:
        raise Http404
    narrow = request.GET.get("size") == "narrow"
    what = service.name if service else _("all services")
    title = (
        _("Applications per week")
        if narrow
        else _("Applications per week — %(office)s, %(what)s")
        % {
            "office": office.name,
            "what": what,
        }
    )
    response = HttpResponse(charts.forecast_chart(series, str(title), narrow), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"  # computed again at any time
    return response


@require_POST
def forecast_recompute(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = _office(request, code)
    services.forecast_compute(office=office, actor=request.user)
    messages.success(request, _("The forecasts of %(office)s were computed again.") % {"office": office.name})
    return redirect("backoffice:forecast_office", code=office.code)


@require_POST
def forecast_quotas(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = _office(request, code)
    require_permission(request.user, Perm.OFFICE_MANAGE, office_id=office.pk)
    run = selectors.latest_run(office)
    if run is None:
        raise Http404
    suggestion = selectors.suggestion(office, run)
    form = QuotasForm(request.POST, rows=suggestion.applicable, groups=suggestion.groups)
    if form.is_valid():
        try:
            applied = services.quotas_apply(
                office=office, run_id=form.cleaned_data["run"], limits=form.limits(), actor=request.user
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s daily quota applied. The appointments page shows it.",
                    "%(count)s daily quotas applied. The appointments page shows them.",
                    len(applied),
                )
                % {"count": len(applied)},
            )
            # To the top of the page, where the message is.
            return redirect("backoffice:forecast_office", code=office.code)
    return _page(request, office, form=form, suggestion=suggestion, status=400)
