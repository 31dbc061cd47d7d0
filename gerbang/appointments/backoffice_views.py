"""The office's appointment page: the day's bookings, and (for its administrators) visiting
hours, booking rules and daily quotas; and the office's page for its managers: closures, opening
hours (both move or cancel appointments) and which services it offers now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.appointments import selectors, services
from gerbang.appointments.forms import BlockForm, MissedFilterForm, PolicyForm, QuotaForm
from gerbang.appointments.models import ScheduleTemplate, ServiceQuota
from gerbang.catalog import forms as catalog_forms
from gerbang.catalog import selectors as catalog
from gerbang.catalog import services as catalog_services
from gerbang.catalog.models import Office, OfficeClosure, ServiceCategory
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.scoping import scope_to_offices


def office_appointments(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = catalog.staff_office_by_code(code)
    if office is None:
        raise Http404
    require_permission(request.user, Perm.CASE_VIEW, office_id=office.pk)
    manager = has_permission(request.user, Perm.OFFICE_MANAGE, office_id=office.pk)
    asked = request.GET.get("group", "")
    group = asked if asked in ServiceCategory.values else ServiceCategory.PASSPORT.value
    day = parse_date(request.GET.get("day") or "") or catalog.office_today(office)
    offered = [link.service for link in office.office_services.all() if link.service.is_active]
    block_form = BlockForm(initial={"group": group})
    policy_form = PolicyForm(instance=selectors.policy_for(office.pk, group))
    quota_form = QuotaForm(services=offered)
    status = 200
    if request.method == "POST":
        require_permission(request.user, Perm.OFFICE_MANAGE, office_id=office.pk)
        action = request.POST.get("action")
        try:
            if action == "block":
                block_form = BlockForm(request.POST)
                if block_form.is_valid():
                    services.schedule_block_add(office=office, actor=request.user, **block_form.cleaned_data)
                    messages.success(
                        request, _("The visiting hours are saved; days not yet open for booking follow them.")
                    )
                    return redirect(_here(code, block_form.cleaned_data["group"], day))
            elif action == "policy":
                policy_form = PolicyForm(request.POST, instance=selectors.policy_for(office.pk, group))
                if policy_form.is_valid():
                    rules = {name: policy_form.cleaned_data[name] for name in PolicyForm.Meta.fields}
                    services.policy_set(office=office, group=group, actor=request.user, **rules)
                    messages.success(request, _("The booking rules are saved."))
                    return redirect(_here(code, group, day))
            elif action == "quota":
                quota_form = QuotaForm(request.POST, services=offered)
                if quota_form.is_valid():
                    service = next(s for s in offered if s.code == quota_form.cleaned_data["service"])
                    services.quota_set(
                        office=office,
                        service=service,
                        daily_limit=quota_form.cleaned_data["daily_limit"],
                        actor=request.user,
                    )
                    messages.success(request, _("The daily quota is saved."))
                    return redirect(_here(code, group, day))
        except ApplicationError as exc:
            form = {"block": block_form, "policy": policy_form, "quota": quota_form}.get(action or "")
            if form is None:
                raise
            add_service_error(form, exc)
        status = 400
    context: dict[str, Any] = {
        "office": office,
        "group": group,
        "groups": ServiceCategory.choices,
        "day": day,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "slots": selectors.day_summary(office, day),
        "bookings": selectors.office_day_bookings(office, day),
        "manager": manager,
        "blocks": ScheduleTemplate.objects.filter(office=office, group=group).order_by("weekday", "starts"),
        "quotas": ServiceQuota.objects.filter(office=office).select_related("service"),
        "block_form": block_form,
        "policy_form": policy_form,
        "quota_form": quota_form,
    }
    return render(request, "appointments/backoffice/office.html", context, status=status)


# Missed appointments are listed a quarter at most at a time.
MISSED_DAYS_MAX = 92


def missed_appointments(request: AuthenticatedRequest) -> HttpResponse:
    """The appointments of one's offices (or one office) whose time passed without the visitor
    checking in, over some days (a week to today by default)."""
    require_permission(request.user, Perm.CASE_VIEW)
    # Closed offices too: their past appointments still count.
    offices = list(
        scope_to_offices(Office.objects.order_by("name_id", "pk"), request.user, office_field="pk")
    )
    filters = MissedFilterForm(request.GET, offices=offices)
    filters.is_valid()
    # Another office's appointments are not found, as its cases are not.
    chosen = request.GET.get("office", "")
    office = next((each for each in offices if each.code == chosen), None)
    if chosen and office is None:
        raise Http404
    today = catalog.office_today(office) if office is not None else timezone.localdate()
    last = filters.cleaned_data.get("last") or today
    first = filters.cleaned_data.get("first") or last - dt.timedelta(days=6)
    first = max(first, last - dt.timedelta(days=MISSED_DAYS_MAX - 1))
    bookings = selectors.missed_bookings(
        request.user, first=first, last=last, office_id=office.pk if office is not None else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appointments/backoffice/missed.html",
        {
            "filters": filters,
            "office": office,
            "first": first,
            "last": last,
            "page": Paginator(bookings, 100).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
        status=400 if filters.errors else 200,
    )


def _here(code: str, group: str, day: dt.date) -> str:
    return f"{reverse('backoffice:office_appointments', args=[code])}?group={group}&day={day.isoformat()}"


@require_POST
def block_remove(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    block = get_object_or_404(ScheduleTemplate.objects.select_related("office"), pk=pk, office__code=code)
    services.schedule_block_remove(block=block, actor=request.user)
    messages.success(request, _("The visiting hours are removed; days not yet open for booking follow."))
    return redirect(f"{reverse('backoffice:office_appointments', args=[code])}?group={block.group}")


# --- The office's closures, opening hours and which services it offers now (its managers) -----------


def office_manage(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = catalog.staff_office_by_code(code)
    if office is None:
        raise Http404
    require_permission(request.user, Perm.OFFICE_MANAGE, office_id=office.pk)
    closure_form = catalog_forms.ClosureForm(
        request.POST if request.POST.get("action") == "closure" else None
    )
    hours_form = catalog_forms.HoursForm(
        request.POST if request.POST.get("action") == "hours" else None,
        initial=catalog_forms.HoursForm.initial_for(office),
    )
    availability_error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "hours" and hours_form.is_valid():
                periods = hours_form.periods()
                if not hours_form.errors:
                    hours = services.office_hours_set(office=office, periods=periods, actor=request.user)
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
                outcome = services.office_close(
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
                availability = catalog_forms.AvailabilityForm(request.POST)
                if availability.is_valid():
                    data = availability.cleaned_data
                    link = next(
                        (c for c in office.office_services.all() if c.service.code == data["service"]), None
                    )
                    if link is None:
                        raise Http404
                    catalog_services.office_service_set(
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
                catalog_forms.AvailabilityForm(
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
                else catalog_forms.AvailabilityForm(posted, auto_id=f"id_{link.service.code}_%s"),
                availability_error[1] if posted is not None and availability_error else None,
            )
        )
    return render(
        request,
        "backoffice/office_manage.html",
        {
            "office": office,
            "closures": catalog.upcoming_closures(office, catalog.office_today(office)),
            "closure_form": closure_form,
            "hours_form": hours_form,
            "rows": rows,
        },
        status=400 if closure_form.errors or hours_form.errors or availability_error else 200,
    )


@require_POST
def closure_remove(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    closure = get_object_or_404(OfficeClosure.objects.select_related("office"), pk=pk, office__code=code)
    services.office_reopen(closure=closure, actor=request.user)
    messages.success(request, _("The closure is removed."))
    return redirect("backoffice:office_manage", code=code)
