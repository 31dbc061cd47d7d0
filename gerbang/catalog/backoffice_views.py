"""Back-office pages of the catalogue: the offices one can see, an office's closures and which
services it can offer now, fees and service standards."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.appointments import services as appointments
from gerbang.catalog import forms, selectors, services
from gerbang.catalog.models import OfficeClosure
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


def office_manage(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = selectors.office_by_code(code)
    if office is None:
        raise Http404
    require_permission(request.user, Perm.OFFICE_MANAGE, office_id=office.pk)
    closure_form = forms.ClosureForm(request.POST if request.POST.get("action") == "closure" else None)
    hours_form = forms.HoursForm(
        request.POST if request.POST.get("action") == "hours" else None,
        initial=forms.HoursForm.initial_for(office),
    )
    availability_error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "hours" and hours_form.is_valid():
                periods = hours_form.periods()
                if not hours_form.errors:
                    hours = appointments.office_hours_set(office=office, periods=periods, actor=request.user)
                    messages.success(request, _("The opening hours are saved."))
                    if hours.trimmed or hours.removed or hours.moved or hours.cancelled:
                        messages.warning(
                            request,
                            _(
                                "Visiting hours now lie within the opening hours: %(changes)s. Appointments "
                                "outside the new hours: %(moved)s moved, %(cancelled)s cancelled; their "
                                "applicants are told. Visiting hours do not grow back by themselves: to "
                                "receive visitors at more times, set them on the office's appointments page."
                            )
                            % {
                                "changes": "; ".join(hours.changes),
                                "moved": hours.moved,
                                "cancelled": hours.cancelled,
                            },
                        )
                    return redirect("backoffice:office_manage", code=office.code)
            if request.POST.get("action") == "closure" and closure_form.is_valid():
                data = dict(closure_form.cleaned_data)
                outcome = appointments.office_close(
                    office=office, actor=request.user, move_bookings=data.pop("bookings"), **data
                )
                messages.success(
                    request,
                    _(
                        "The closure is added; service times now count around it. "
                        "Appointments moved: %(moved)s; cancelled: %(cancelled)s."
                    )
                    % {"moved": outcome.moved, "cancelled": outcome.cancelled},
                )
                return redirect("backoffice:office_manage", code=office.code)
            if request.POST.get("action") == "availability":
                availability = forms.AvailabilityForm(request.POST)
                if availability.is_valid():
                    data = availability.cleaned_data
                    link = next(
                        (c for c in office.office_services.all() if c.service.code == data["service"]), None
                    )
                    if link is None:
                        raise Http404
                    services.office_service_set(
                        office=office,
                        service=link.service,
                        is_available=data["is_available"],
                        unavailable_reason_id=data["unavailable_reason_id"],
                        unavailable_reason_en=data["unavailable_reason_en"],
                        unavailable_until=data["unavailable_until"],
                        actor=request.user,
                    )
                    messages.success(request, _("Saved. The service and office pages show it now."))
                    return redirect("backoffice:office_manage", code=office.code)
                availability_error = (request.POST.get("service"), _("Check the answers for this service."))
        except ApplicationError as exc:
            if request.POST.get("action") == "closure":
                add_service_error(closure_form, exc)
            elif request.POST.get("action") == "hours":
                hours_form.add_error(None, str(exc.message))
            else:
                availability_error = (request.POST.get("service"), str(exc.message))
    links = sorted(office.office_services.all(), key=lambda link: (link.service.category, link.service.order))
    rows = []
    for link in links:
        posted = request.POST if availability_error and availability_error[0] == link.service.code else None
        rows.append(
            (
                link,
                forms.AvailabilityForm(
                    posted,
                    initial={
                        "service": link.service.code,
                        "is_available": "1" if link.is_available else "0",
                        "unavailable_reason_id": link.unavailable_reason_id,
                        "unavailable_reason_en": link.unavailable_reason_en,
                        "unavailable_until": link.unavailable_until,
                    },
                    auto_id=f"id_{link.service.code}_%s",
                )
                if posted is None
                else forms.AvailabilityForm(posted, auto_id=f"id_{link.service.code}_%s"),
                availability_error[1] if posted is not None and availability_error else None,
            )
        )
    return render(
        request,
        "backoffice/office_manage.html",
        {
            "office": office,
            "closures": selectors.upcoming_closures(office, selectors.office_today(office)),
            "closure_form": closure_form,
            "hours_form": hours_form,
            "rows": rows,
        },
        status=400 if closure_form.errors or hours_form.errors or availability_error else 200,
    )


@require_POST
def closure_remove(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    closure = get_object_or_404(OfficeClosure.objects.select_related("office"), pk=pk, office__code=code)
    appointments.office_reopen(closure=closure, actor=request.user)
    messages.success(request, _("The closure is removed."))
    return redirect("backoffice:office_manage", code=code)


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
