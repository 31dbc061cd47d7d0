"""Back-office pages of accounts: the staff home (its panels come from the apps, see
``core.panels``), staff management and the audit log.

Every path here sits under /backoffice/, behind BackofficeGuardMiddleware (staff role and a
second factor); each view still asks the permission table for its own action.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts import forms, selectors, services
from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.core import event_text, events, panels
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.models import Event
from gerbang.core.selectors import events_filtered


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "panels": panels.shown(panels.STAFF_HOME, request),
            "work_panels": panels.shown(panels.STAFF_WORK, request),
            "can_manage_staff": has_permission(user, Perm.STAFF_MANAGE),
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


@require_POST
def staff_two_factor_reset(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(selectors.staff_visible_to(request.user), pk=pk)
    if not request.POST.get("identity_checked"):
        messages.error(
            request,
            _("Nothing was reset: first check in person that %(name)s asks for it, and tick the box.")
            % {"name": member.full_name},
        )
        return redirect("backoffice:staff_list")
    try:
        services.two_factor_reset(user=member, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _(
                "The two-factor sign-in of %(name)s was reset: they set up a new authenticator at their next sign-in, and were told by email."
            )
            % {"name": member.full_name},
        )
    return redirect("backoffice:staff_list")


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


def audit_log(request: AuthenticatedRequest) -> HttpResponseBase:
    """Who changed what and when: the event stream, newest first, 50 to a page, each event in a
    sentence in the reader's language. ``?format=csv`` or ``json`` exports it with the raw codes
    and details, for tools."""
    require_permission(request.user, Perm.AUDIT_VIEW)
    code = request.GET.get("code", "")
    known_codes = event_text.known_codes()
    events = events_filtered(code_prefix=code if code in known_codes else "")
    export = request.GET.get("format", "")
    if export in EXPORTS:
        return EXPORTS[export](events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/audit_log.html",
        {
            "page": page,
            "rows": [
                {
                    "event": event,
                    "sentence": event_text.describe_event(event),
                    "subject": event_text.subject_name(event.subject_type),
                }
                for event in page
            ],
            "codes": [(value, event_text.name_of(value)) for value in known_codes],
            "code": code,
        },
    )


def _export_row(event: Event) -> dict[str, Any]:
    return {
        "created_at": event.created_at.isoformat(),
        "code": event.code,
        "actor": event.actor.email if event.actor else "",
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "office_id": event.office_id,
        "request_id": event.request_id,
        "details": event.details,
        # The free text the event carries; null once retention erased it.
        "note": events.note_of(event),
    }


def _export_csv(events: QuerySet[Event]) -> StreamingHttpResponse:
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    columns = [
        "created_at",
        "code",
        "actor",
        "subject_type",
        "subject_id",
        "office_id",
        "request_id",
        "details",
        "note",
    ]

    def lines() -> Iterator[str]:
        yield writer.writerow(columns)
        for event in events.iterator(chunk_size=500):
            row = _export_row(event)
            row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
            row["note"] = row["note"] or ""
            yield writer.writerow([row[column] for column in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _export_json(events: QuerySet[Event]) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        yield "["
        for index, event in enumerate(events.iterator(chunk_size=500)):
            yield ("," if index else "") + json.dumps(_export_row(event), ensure_ascii=False)
        yield "]"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="audit-log.json"'
    return response


EXPORTS: dict[str, Callable[[QuerySet[Event]], StreamingHttpResponse]] = {
    "csv": _export_csv,
    "json": _export_json,
}
