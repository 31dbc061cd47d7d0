"""Back-office pages of accounts: the staff dashboard shell and staff management.

Every path here sits under /backoffice/, behind BackofficeGuardMiddleware (staff role and a
second factor); each view still asks the permission table for its own action.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts import forms, selectors, services
from gerbang.accounts.events import AccountEvent
from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications.selectors import case_counts
from gerbang.catalog.selectors import offices_visible_to
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.selectors import events_filtered
from gerbang.feedback.selectors import waiting_counts


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "offices": offices_visible_to(user),
            "can_manage_staff": has_permission(user, Perm.STAFF_MANAGE),
            "case_numbers": case_counts(user) if has_permission(user, Perm.CASE_VIEW) else None,
            "questions": waiting_counts(user) if has_permission(user, Perm.CONSULTATION_VIEW) else None,
        },
    )


def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.STAFF_VIEW)
    return render(
        request,
        "backoffice/staff_list.html",
        {
            "staff": selectors.staff_visible_to(user),
            "can_manage_staff": has_permission(user, Perm.STAFF_MANAGE),
        },
    )


def staff_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.STAFF_MANAGE)
    form = forms.StaffCreateForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.staff_create(
                actor=user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                office_ids=[office.pk for office in form.cleaned_data["offices"]],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s was added. An invitation to set a password was sent to %(email)s.")
                % {"name": created.full_name, "email": created.email},
            )
            return redirect("backoffice:staff_list")
    return render(request, "backoffice/staff_form.html", {"form": form}, status=400 if form.errors else 200)


def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who changed what and when: the event stream, newest first, 50 to a page."""
    require_permission(request.user, Perm.AUDIT_VIEW)
    code = request.GET.get("code", "")
    known_codes = [event.value for event in AccountEvent]
    events = events_filtered(code_prefix=code if code in known_codes else "")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/audit_log.html",
        {"page": page, "codes": known_codes, "code": code},
    )


def office_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.OFFICE_VIEW)
    return render(
        request,
        "backoffice/office_list.html",
        {
            "offices": [
                (office, has_permission(user, Perm.OFFICE_MANAGE, office_id=office.pk))
                for office in offices_visible_to(user)
            ],
            "now": timezone.now(),
        },
    )
