"""Back-office pages of the catalogue: the offices one can see, the services, their fees and
standards."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.catalog import forms, selectors, services
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.http import AuthenticatedRequest
from gerbang.core.permissions import Perm, has_permission, require_permission


def office_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.OFFICE_VIEW)
    return render(
        request,
        "backoffice/office_list.html",
        {
            "offices": [
                (office, has_permission(user, Perm.OFFICE_MANAGE, office_id=office.pk))
                for office in selectors.offices_visible_to(user)
            ],
            "now": timezone.now(),
        },
    )


def service_list(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CATALOG_MANAGE)
    today = timezone.localdate()
    rows = [
        (service, selectors.terms_in_force(service, today), selectors.terms_coming(service, today))
        for service in selectors.public_services().prefetch_related("terms")
    ]
    return render(request, "backoffice/service_list.html", {"rows": rows})


def service_terms(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Every fee version of a service, and a form to announce the next one."""
    require_permission(request.user, Perm.CATALOG_MANAGE)
    service = selectors.service_by_code(code)
    if service is None:
        raise Http404
    today = timezone.localdate()
    current = selectors.terms_in_force(service, today)
    initial = (
        {
            "fee": current.fee,
            "standard_working_days": current.standard_working_days,
            "payment_deadline_hours": current.payment_deadline_hours,
            "legal_basis": current.legal_basis,
        }
        if current
        else {}
    )
    form = forms.TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_terms_set(service=service, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The new fee and standard are announced on the service page."))
            return redirect("backoffice:service_terms", code=service.code)
    return render(
        request,
        "backoffice/service_terms.html",
        {
            "service": service,
            "versions": service.terms.all(),
            "current": current,
            "form": form,
            "today": today,
        },
        status=400 if form.errors else 200,
    )
