"""Public pages of the IKM: the questionnaire (by the invitation's token), the national
overview, an office's figures and the national figure, and the open data (aggregates only). Thin: parse, call a
service or selector, render."""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from gerbang.catalog.selectors import office_by_code
from gerbang.core.exceptions import ApplicationError, Conflict
from gerbang.core.forms import add_service_error
from gerbang.ikm import reports, selectors, services
from gerbang.ikm.forms import QuestionnaireForm
from gerbang.ikm.periods import PeriodKind
from gerbang.satisfaction.models import Invitation


def _invitation(token: str) -> Invitation:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    return invitation


@never_cache
def survey(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    if selectors.is_answered(invitation):
        return render(request, "ikm/survey_done.html", {"invitation": invitation, "answered": True})
    if not selectors.is_open(invitation):
        return render(request, "ikm/survey_done.html", {"invitation": invitation, "closed": True})
    form = QuestionnaireForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.response_submit(invitation=invitation, answers=form.cleaned_data, actor=request.user)
            except Conflict:
                return redirect("ikm:survey_thanks", token=token)
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                return redirect("ikm:survey_thanks", token=token)
        status = 400
    return render(request, "ikm/survey.html", {"invitation": invitation, "form": form}, status=status)


@never_cache
def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    return render(request, "ikm/survey_done.html", {"invitation": invitation, "answered": True})


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", PeriodKind.QUARTER)
    return kind if kind in PeriodKind.values else PeriodKind.QUARTER


def overview(request: HttpRequest) -> HttpResponse:
    kind = _kind(request)
    period = selectors.latest_period(kind)
    rows = selectors.overview(period) if period else []
    national = selectors.result_of(None, period) if period else None
    return render(
        request,
        "ikm/overview.html",
        {"period": period, "rows": rows, "national": national, "kind": kind, "kinds": PeriodKind.choices},
    )


def office_page(request: HttpRequest, code: str) -> HttpResponse:
    office = office_by_code(code)
    if office is None:
        raise Http404
    context = reports.office_figures(office, request.GET)
    return render(request, "ikm/office.html", context, status=400 if context["invalid"] else 200)


def national_page(request: HttpRequest) -> HttpResponse:
    """The national figure: every office and the national unit together, on the office's page."""
    context = reports.office_figures(None, request.GET)
    return render(request, "ikm/office.html", context, status=400 if context["invalid"] else 200)


def data_csv(request: HttpRequest) -> HttpResponse:
    """Every published aggregate as CSV (UTF-8, plain numbers), one row per office, service and
    period; never a response."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(reports.OPEN_DATA_COLUMNS)
    for row in reports.open_data_rows(selectors.open_data(office_code=request.GET.get("office"))):
        writer.writerow([row[column] for column in reports.OPEN_DATA_COLUMNS])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ikm.csv"'
    return response


def data_json(request: HttpRequest) -> HttpResponse:
    rows = reports.open_data_rows(selectors.open_data(office_code=request.GET.get("office")))
    body = json.dumps({"source": "PermenPANRB 14/2017", "results": rows}, ensure_ascii=False, indent=1)
    return HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
