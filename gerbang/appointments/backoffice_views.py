"""The office's appointment page: the day's bookings, and (for its administrators) visiting
hours, booking rules and daily quotas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.appointments import selectors, services
from gerbang.appointments.forms import BlockForm, PolicyForm, QuotaForm
from gerbang.appointments.models import ScheduleTemplate, ServiceQuota
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import ServiceCategory
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error


def office_appointments(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = catalog.office_by_code(code)
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


def _here(code: str, group: str, day: dt.date) -> str:
    return f"{reverse('backoffice:office_appointments', args=[code])}?group={group}&day={day.isoformat()}"


@require_POST
def block_remove(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    block = get_object_or_404(ScheduleTemplate.objects.select_related("office"), pk=pk, office__code=code)
    services.schedule_block_remove(block=block, actor=request.user)
    messages.success(request, _("The visiting hours are removed; days not yet open for booking follow."))
    return redirect(f"{reverse('backoffice:office_appointments', args=[code])}?group={block.group}")
