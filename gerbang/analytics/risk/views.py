"""The officers' risk-flag pages: the list of flags on their offices' cases, and the decision
posted from a flag on the case page (the panel, ``analytics/panels.py``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.analytics.models import FlagStatus, RiskFlag, RiskKind
from gerbang.analytics.risk import selectors, services
from gerbang.analytics.risk.forms import FlagDecisionForm
from gerbang.applications import backoffice_views as case_views
from gerbang.catalog.selectors import offices_visible_to
from gerbang.core.exceptions import PermissionDenied
from gerbang.core.forms import refusal_of


def _status_label(status: str) -> str:
    labels = {
        "open": FlagStatus.OPEN.label,
        "decided": _("Decided"),
        "withdrawn": FlagStatus.WITHDRAWN.label,
        "all": _("All"),
    }
    return str(labels[status])


def flag_list(request: AuthenticatedRequest) -> HttpResponse:
    """The flags on the cases of the officer's offices (open ones by default), by kind and status.
    It names cases and kinds only: the reasons are on each case's page, whose reading is logged."""
    user = request.user
    require_permission(user, Perm.RISK_REVIEW)
    params = request.GET
    kind = params.get("kind", "")
    kind = kind if kind in RiskKind.values else ""
    status = params.get("status", "open")
    status = status if status in selectors.STATUS_FILTERS else "open"
    office = params.get("office", "")
    office_id = int(office) if office.isdigit() and int(office) < 2**63 else None
    flags = selectors.flags_visible_to(user, kind=kind, status=status, office_id=office_id)
    page = Paginator(flags, 50).get_page(params.get("page"))
    query = "&".join(
        f"{name}={value}"
        for name, value in (("kind", kind), ("status", status), ("office", office_id or ""))
        if value
    )
    return render(
        request,
        "analytics/risk/flags.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "office_id": office_id,
            "kinds": [(k.value, k.label) for k in RiskKind],
            "statuses": [(s, _status_label(s)) for s in selectors.STATUS_FILTERS],
            "offices": offices_visible_to(user),
            "query": query,
        },
    )


@require_POST
def flag_decide(request: AuthenticatedRequest, pk: int, flag_pk: int) -> HttpResponse:
    """An officer records what they found on a flag of this case."""
    application = case_views.case_for(request, pk)
    flag = get_object_or_404(RiskFlag, pk=flag_pk, application=application)
    if not selectors.may_review(request.user, application):
        raise PermissionDenied()
    anchor = f"risk-{flag.pk}"
    form = FlagDecisionForm(request.POST, flag_id=flag.pk)
    if not form.is_valid():
        return case_views.render_case(
            request, application, status=400, refusal=refusal_of(anchor, form=form), form=form
        )
    return case_views.after_action(
        request,
        application,
        lambda: services.risk_flag_decide(
            flag=flag,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        _(
            "Your decision on the flag is recorded: the concern is confirmed. Nothing is sent to anyone "
            "and the case goes on as before: act on it with the case's own actions (ask for corrections, "
            "refuse it) and refer it as your office's procedure says."
        )
        if form.cleaned_data["decision"] == FlagStatus.CONFIRMED
        else _("Your decision on the flag is recorded. The case itself goes on as before."),
        anchor=anchor,
        form=form,
    )
