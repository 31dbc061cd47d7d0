"""The staff's IKM page: the figures of their offices (every office for the national unit and
auditors), the report to download (PDF, spreadsheet) and recomputing the figures now."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.catalog.models import Office
from gerbang.core.permissions import Perm, require_permission
from gerbang.core.scoping import scope_to_offices
from gerbang.core.xlsx import CONTENT_TYPE
from gerbang.ikm import reports, selectors, services
from gerbang.ikm.periods import Period, PeriodKind


def _offices(request: AuthenticatedRequest) -> list[Office]:
    return list(scope_to_offices(Office.objects.order_by("name_id"), request.user, office_field="pk"))


def _office(request: AuthenticatedRequest, code: str) -> Office:
    require_permission(request.user, Perm.IKM_VIEW)
    office = next((each for each in _offices(request) if each.code == code), None)
    if office is None:
        raise Http404
    return office


def _period(slug: str) -> Period:
    period = Period.from_slug(slug)
    if period is None:
        raise Http404
    return period


def ikm_home(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.IKM_VIEW)
    kind = request.GET.get("kind", PeriodKind.QUARTER)
    kind = kind if kind in PeriodKind.values else PeriodKind.QUARTER
    offices = _offices(request)
    rows = []
    for office in offices:
        periods = [period for period in selectors.periods_of(office) if period.kind == kind]
        rows.append(
            {
                "office": office,
                "results": [(period, selectors.result_of(office, period)) for period in periods[:6]],
            }
        )
    return render(
        request, "ikm/backoffice/home.html", {"rows": rows, "kind": kind, "kinds": PeriodKind.choices}
    )


def report_pdf(request: AuthenticatedRequest, code: str, period: str) -> HttpResponse:
    office = _office(request, code)
    chosen = _period(period)
    response = HttpResponse(reports.report_pdf(office, chosen), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ikm-{office.code}-{chosen.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def report_xlsx(request: AuthenticatedRequest, code: str, period: str) -> HttpResponse:
    office = _office(request, code)
    chosen = _period(period)
    response = HttpResponse(reports.report_xlsx(office, chosen), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ikm-{office.code}-{chosen.slug}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def recompute(request: AuthenticatedRequest) -> HttpResponse:
    stored = services.results_compute(actor=request.user)
    messages.success(request, _("The figures were computed again (%(count)s results).") % {"count": stored})
    return redirect("backoffice:ikm")
