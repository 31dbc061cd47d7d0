"""The asker's pages: my questions, ask a question, and one question's thread. Thin: parse, call a
service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.core import idempotency
from gerbang.core.exceptions import ApplicationError, Conflict
from gerbang.core.forms import add_service_error
from gerbang.feedback import drafts, selectors, services, threads
from gerbang.feedback.forms import CHOOSE_FILES_AGAIN, AskForm, ReplyForm
from gerbang.feedback.models import Consultation


def _own(request: AuthenticatedRequest, pk: int) -> Consultation:
    consultation = selectors.consultation_of(request.user, pk)
    if consultation is None:
        raise Http404
    return consultation


@login_required
def consultation_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.consultations_of(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request, "feedback/list.html", {"page": page, "answer_days": settings.CONSULTATION_ANSWER_DAYS}
    )


@login_required
def consultation_new(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.is_staff_role:
        messages.info(request, _("Questions to an office are asked from an applicant's account."))
        return redirect("backoffice:consultations")
    initial: dict[str, Any] = {}
    if request.GET.get("application", "").isdigit():
        initial["application"] = int(request.GET["application"])
        initial["topic"] = "application"
    if request.GET.get("office"):
        initial["office"] = request.GET["office"]
    draft = request.GET.get(drafts.PARAM, "")
    question = " ".join(drafts.draft_read(request.session, draft).split())
    if question:
        # Handed over by the assistant: the question as the person typed it, kept through sign-in.
        limit = services.SUBJECT_MAX
        initial["body"] = question[: services.BODY_MAX]
        initial["subject"] = question if len(question) <= limit else question[: limit - 1] + "…"
    form = AskForm(request.POST or None, request.FILES or None, asker=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_open(
                asker=request.user,
                office=data["office"],
                topic=data["topic"],
                subject=data["subject"],
                body=data["body"],
                application=data["application"],
                uploads=threads.uploads_of(request),
                idempotency_key=idempotency.form_key(request.POST),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            drafts.draft_drop(request.session, draft)
            messages.success(
                request,
                _("Your question was sent to %(office)s. Reference %(reference)s.")
                % {"office": consultation.office.name, "reference": consultation.reference},
            )
            return redirect("feedback:detail", pk=consultation.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "answer_days": settings.CONSULTATION_ANSWER_DAYS,
        "faq": reverse("content:faq"),
        "choose_again": CHOOSE_FILES_AGAIN if form.is_bound and form.errors else "",
    }
    return render(request, "feedback/ask.html", context, status=status)


def post_message(
    request: AuthenticatedRequest, consultation: Consultation, send: Callable[..., Any], **more: Any
) -> tuple[ReplyForm, bool]:
    """The thread's reply form, and whether ``send`` (a service) stored the posted message with
    its files (``more``: the service's other arguments). On an error the form carries it with
    the text as typed (files are chosen again)."""
    form = ReplyForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return form, False
    try:
        send(
            consultation=consultation,
            body=form.cleaned_data["body"],
            actor=request.user,
            seen_message_id=form.cleaned_data["seen"],
            uploads=threads.uploads_of(request),
            **more,
        )
    except ApplicationError as exc:
        add_service_error(form, exc)
        if isinstance(exc, Conflict):
            consultation.refresh_from_db()  # closed, or a message arrived: show it as it is now
        return form, False
    return form, True


@login_required
def consultation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _own(request, pk)
    # A form sent twice (queued offline and sent when the connection returned) adds one message.
    key = idempotency.form_key(request.POST)
    form, sent = post_message(request, consultation, services.consultation_follow_up, idempotency_key=key)
    if sent:
        messages.success(request, _("Your message was sent to the office."))
        return redirect("feedback:detail", pk=consultation.pk)
    thread = selectors.messages_of(consultation)
    form.mark_seen(selectors.latest_message_id(thread))
    return render(
        request,
        "feedback/detail.html",
        {"consultation": consultation, "thread": thread, "form": form, "choose_again": CHOOSE_FILES_AGAIN},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def consultation_file(request: AuthenticatedRequest, pk: int, file_id: int) -> HttpResponseBase:
    """One of the asker's own files (theirs or the office's) in their question's thread."""
    return threads.attachment_response(selectors.attachments_of(_own(request, pk)), file_id)


@require_POST
@login_required
def consultation_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _own(request, pk)
    services.consultation_close(consultation=consultation, actor=request.user)
    messages.success(request, _("The question is closed. Thank you."))
    return redirect("feedback:detail", pk=consultation.pk)
