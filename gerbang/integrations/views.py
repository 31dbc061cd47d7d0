"""The exchange's pages: the partners' inbound endpoints and Gerbang's published keys (under
/api/v1/exchange/), the back office's log of exchanges and registry of agencies, and an
officer's actions on a case's checks (the panel: ``panels.py``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.applications import backoffice_views as case_views
from gerbang.applications.models import Application
from gerbang.core.forms import refusal_of
from gerbang.core.permissions import Perm, require_permission
from gerbang.integrations import checks, inbound, keys, selectors
from gerbang.integrations.forms import ManualVerificationForm, ResolutionForm
from gerbang.integrations.models import Agency, Direction, ExternalCheck, InboundService, Outcome


@csrf_exempt
def exchange_endpoint(request: HttpRequest, service: str) -> HttpResponse:
    """A partner's signed question (``inbound``); the signature stands in for a session."""
    try:
        chosen = InboundService(service)
    except ValueError:
        raise Http404 from None
    return inbound.answer(request, chosen)


def published_keys(request: HttpRequest) -> JsonResponse:
    """Gerbang's public keys: partners verify its answers and questions with them."""
    response = JsonResponse({"keys": keys.published()})
    response["Cache-Control"] = "public, max-age=300"
    return response


def exchange_log(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.EXCHANGE_VIEW)
    params = request.GET
    agency = params.get("agency", "")
    outcome = params.get("outcome", "") if params.get("outcome", "") in Outcome.values else ""
    direction = params.get("direction", "") if params.get("direction", "") in Direction.values else ""
    agencies = list(Agency.objects.prefetch_related("keys", "grants"))
    if agency not in {a.code for a in agencies}:
        agency = ""
    rows = selectors.exchanges(agency=agency, outcome=outcome, direction=direction)
    page = Paginator(rows, 50).get_page(params.get("page"))
    for row in page:
        row.service_label = selectors.service_label(row.service)  # type: ignore[attr-defined]
        row.reason_label = selectors.reason_label(row.reason)  # type: ignore[attr-defined]
    query = "&".join(
        f"{k}={v}" for k, v in (("agency", agency), ("outcome", outcome), ("direction", direction)) if v
    )
    return render(
        request,
        "integrations/log.html",
        {
            "page": page,
            "agencies": agencies,
            "agency": agency,
            "outcome": outcome,
            "direction": direction,
            "outcomes": Outcome.choices,
            "directions": Direction.choices,
            "query": query,
            "own_keys": keys.published(),
        },
    )


def _check(request: AuthenticatedRequest, pk: int, check_pk: int) -> tuple[Application, ExternalCheck]:
    application = case_views.case_for(request, pk)
    check = get_object_or_404(
        ExternalCheck.objects.select_related("agency"), pk=check_pk, application=application
    )
    return application, check


def check_ask(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    application, check = _check(request, pk, check_pk)
    anchor = f"check-{check.pk}"
    return case_views.after_action(
        request,
        application,
        lambda: checks.check_ask_now(check=check, actor=request.user),
        _("The partner was asked again. If it answered, the check shows its answer below."),
        anchor=anchor,
    )


def _posted(
    request: AuthenticatedRequest, pk: int, check_pk: int, form_class: type[Any], act: Any, success: str
) -> HttpResponse:
    """An officer's form on one of the case's checks: refused, the case page again with the form
    as posted; done, ``act(check, cleaned_data)`` through the case page's own way of acting."""
    if request.method != "POST":
        raise Http404
    application, check = _check(request, pk, check_pk)
    anchor = f"check-{check.pk}"
    form = form_class(request.POST, check_id=check.pk)
    if not form.is_valid():
        return case_views.render_case(
            request, application, status=400, refusal=refusal_of(anchor, form=form), form=form
        )
    return case_views.after_action(
        request, application, lambda: act(check, form.cleaned_data), success, anchor=anchor, form=form
    )


def check_verify(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        check_pk,
        ManualVerificationForm,
        lambda check, data: checks.check_verify_manually(
            check=check, reason=data["reason"], actor=request.user
        ),
        _("Your verification is recorded with its reason. The case goes on once every check is done."),
    )


def check_resolve(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        check_pk,
        ResolutionForm,
        lambda check, data: checks.check_resolve(
            check=check, resolution=data["resolution"], reason=data["reason"], actor=request.user
        ),
        _("Your finding is recorded with what you compared. Act on the case with its own actions."),
    )
