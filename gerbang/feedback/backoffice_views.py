"""The office's side of consultations: the questions waiting for an answer (oldest due first),
and one question's thread with the answer form. Every opening of a thread, and of one of its
files, is logged."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.catalog.selectors import offices_visible_to
from gerbang.feedback import selectors, services, threads
from gerbang.feedback.forms import CHOOSE_FILES_AGAIN, StaffFilterForm
from gerbang.feedback.models import Consultation
from gerbang.feedback.views import post_message


def _consultation(request: AuthenticatedRequest, pk: int) -> Consultation:
    require_permission(request.user, Perm.CONSULTATION_VIEW)
    consultation = selectors.consultation_for_staff(request.user, pk)
    if consultation is None:
        raise Http404
    return consultation


def consultation_list(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CONSULTATION_VIEW)
    offices = offices_visible_to(request.user)
    filters = StaffFilterForm(request.GET or None, offices=offices)
    status, office = "waiting", None
    if filters.is_valid():
        status = filters.cleaned_data["status"] or "waiting"
        office = filters.cleaned_data["office"]
    rows = selectors.consultations_for_staff(
        request.user, status=status, office_id=office.pk if office else None
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "feedback/backoffice/list.html",
        {
            "filters": filters,
            "status": status,
            "page": page,
            "rows": [{"consultation": c, "overdue": selectors.is_overdue(c, now)} for c in page],
            "query": request.GET.urlencode(),
        },
    )


def consultation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _consultation(request, pk)
    form, sent = post_message(request, consultation, services.consultation_answer)
    if sent:
        messages.success(request, _("Your answer was sent. The asker is told by message."))
        return redirect("backoffice:consultation", pk=consultation.pk)
    if request.method != "POST":
        services.staff_read_record(consultation=consultation, actor=request.user)
    thread = selectors.messages_of(consultation)
    form.mark_seen(selectors.latest_message_id(thread))
    office_id = consultation.office_id
    return render(
        request,
        "feedback/backoffice/detail.html",
        {
            "consultation": consultation,
            "thread": thread,
            "form": form,
            "choose_again": CHOOSE_FILES_AGAIN,
            "overdue": selectors.is_overdue(consultation),
            "can_answer": has_permission(request.user, Perm.CONSULTATION_ANSWER, office_id=office_id),
            "can_see_case": consultation.application_id is not None
            and has_permission(request.user, Perm.CASE_VIEW, office_id=office_id),
        },
        status=400 if request.method == "POST" else 200,
    )


def consultation_file(request: AuthenticatedRequest, pk: int, file_id: int) -> HttpResponseBase:
    """A question's file, for staff who may see the question; the read is logged."""
    consultation = _consultation(request, pk)
    return threads.attachment_response(
        selectors.attachments_of(consultation),
        file_id,
        read=lambda attachment: services.staff_file_read_record(
            consultation=consultation, attachment=attachment, actor=request.user
        ),
    )


@require_POST
def consultation_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _consultation(request, pk)
    services.consultation_close(consultation=consultation, actor=request.user)
    messages.success(request, _("The question is closed."))
    return redirect("backoffice:consultation", pk=consultation.pk)
