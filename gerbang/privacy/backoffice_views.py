"""The data-protection officer's pages: requests with their deadlines, answering a correction,
and the processing register."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.http import AuthenticatedRequest
from gerbang.core.permissions import Perm, require_permission
from gerbang.privacy import forms, selectors, services
from gerbang.privacy.models import Kind, Status


def requests(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PRIVACY_MANAGE)
    now = timezone.now()
    waiting = list(selectors.open_requests())
    return render(
        request,
        "backoffice/privacy_requests.html",
        {
            "waiting": [(r, selectors.is_overdue(r, now)) for r in waiting],
            "answered": list(selectors.answered_requests()[:50]),
            "overdue": sum(1 for r in waiting if selectors.is_overdue(r, now)),
        },
    )


def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Perm.PRIVACY_MANAGE)
    item = selectors.request_by_id(pk)
    if item is None:
        raise Http404
    form = forms.AnswerForm(request.POST or None)
    answerable = item.kind == Kind.CORRECTION and item.status == Status.RECEIVED
    if request.method == "POST" and answerable and form.is_valid():
        try:
            services.request_answer(
                request=item,
                done=form.cleaned_data["outcome"] == "done",
                answer=form.cleaned_data["answer"],
                actor=request.user,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The answer is sent to the person."))
            return redirect("backoffice:privacy_requests")
    return render(
        request,
        "backoffice/privacy_request.html",
        {
            "item": item,
            "form": form,
            "answerable": answerable,
            "overdue": selectors.is_overdue(item),
        },
        status=400 if form.errors else 200,
    )


def register(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PRIVACY_MANAGE)
    return render(request, "backoffice/privacy_register.html", {"activities": selectors.register()})
