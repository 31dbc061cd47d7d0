"""The applicant's pages: start, the guided steps, documents, review and submit, the case page
with its timeline, corrections, and public tracking. Thin: parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.throttling import client_ip
from gerbang.applications import selectors, services
from gerbang.applications.forms import StartForm, StepForm, SubmitForm, TakeOverForm, TrackForm, UploadForm
from gerbang.applications.formspec import CHILD_ONLY_SERVICES, Step
from gerbang.applications.models import Application, Document
from gerbang.applications.workflow import State
from gerbang.catalog import selectors as catalog
from gerbang.core import idempotency, marks, panels
from gerbang.core.exceptions import ApplicationError, RateLimited
from gerbang.core.forms import add_service_error, carry_out

PENDING_ANSWERS = "pending_answers"


def login_keeping_answers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``login_required``, but answers posted after the session ended are kept in the new
    session and applied once the applicant signs in again and lands back on the same step."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method == "POST":
                kept = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
                request.session[PENDING_ANSWERS] = {"path": request.path, "values": kept}
                messages.info(request, _("Your session ended. Sign in again; what you typed is kept."))
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
        return view(request, *args, **kwargs)

    return wrapper


def _typed_answers(request: HttpRequest, names: list[str]) -> dict[str, Any] | None:
    """The answers just posted, or those kept from a post that arrived after the session
    ended (once, on the page they were typed on); None when there are none."""
    if request.method == "POST":
        return {name: request.POST.get(name, "") for name in names}
    pending = request.session.get(PENDING_ANSWERS)
    if pending and pending.get("path") == request.path:
        del request.session[PENDING_ANSWERS]
        messages.info(request, _("We kept what you typed before your session ended."))
        return {name: pending["values"].get(name, "") for name in names}
    return None


def checked_only(request: HttpRequest, values: dict[str, Any]) -> dict[str, Any]:
    """An inline check (htmx, ``?field=``) saves only the field it checks. It carries the whole
    form, as typed when it left; arriving after the step was saved, it must not put back the
    older answers of the other fields."""
    name = request.GET.get("field", "")
    if request.headers.get("HX-Request") and name in values:
        return {name: values[name]}
    return values


def _own(request: AuthenticatedRequest, pk: int) -> Application:
    application = selectors.application_of(request.user, pk)
    if application is None:
        raise Http404
    return application


# --- Start ------------------------------------------------------------------------------------


@login_required
def application_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.is_staff_role:
        return redirect("backoffice:case_queue")
    return render(request, "applications/list.html", {"cards": selectors.application_cards(request.user)})


@login_required
def application_start(request: AuthenticatedRequest, service_code: str) -> HttpResponse:
    service = catalog.service_by_code(service_code)
    if service is None:
        raise Http404
    offices = catalog.offices_offering_now(service)
    child_only = service.code in CHILD_ONLY_SERVICES
    initial = {"office": request.GET.get("office")} if request.GET.get("office") else None
    form = StartForm(
        request.POST if request.method == "POST" else None,
        offices=offices,
        child_only=child_only,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                applicant=request.user,
                service=service,
                office=form.cleaned_data["office"],
                for_child=child_only or form.cleaned_data.get("for_child", False),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("applications:step", pk=application.pk, step=application.current_step)
    return render(
        request,
        "applications/start.html",
        {
            "service": service,
            "form": form,
            "offices": offices,
            # Offices that offer it but not now, each with why (a notice, a shortage).
            "not_now": [link for link in catalog.offices_offering(service) if not link.offered_now],
        },
    )


# --- The guided steps -------------------------------------------------------------------------


def _steps_nav(application: Application, current: str) -> list[dict[str, Any]]:
    spec = selectors.spec_of(application)
    items: list[dict[str, Any]] = [
        {"slug": s.slug, "title": s.title, "url": reverse("applications:step", args=[application.pk, s.slug])}
        for s in spec.steps
    ]
    items.append(
        {
            "slug": "documents",
            "title": _("Documents"),
            "url": reverse("applications:documents", args=[application.pk]),
        }
    )
    items.append(
        {
            "slug": "review",
            "title": _("Review and submit"),
            "url": reverse("applications:review", args=[application.pk]),
        }
    )
    for item in items:
        item["current"] = item["slug"] == current
    return items


def _next_url(application: Application, step_slug: str) -> str:
    slugs = [s.slug for s in selectors.spec_of(application).steps]
    index = slugs.index(step_slug)
    if index + 1 < len(slugs):
        return reverse("applications:step", args=[application.pk, slugs[index + 1]])
    return reverse("applications:documents", args=[application.pk])


@never_cache
@login_keeping_answers
def application_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    application = _own(request, pk)
    if application.state == State.CORRECTION_REQUESTED:
        return redirect("applications:corrections", pk=pk)
    if application.state != State.DRAFT:
        return redirect("applications:detail", pk=pk)
    spec = selectors.spec_of(application)
    step_spec = spec.step(step)
    if step_spec is None:
        raise Http404
    values = _typed_answers(request, [f.name for f in step_spec.fields])
    if values is not None:
        checked = services.application_save_answers(
            application=application, values=checked_only(request, values), actor=request.user, step=step
        )
        application.refresh_from_db()
        errors = checked.errors
        if request.headers.get("HX-Request"):
            return _field_fragment(request, application, step_spec, errors)
        if request.method == "POST" and "save_exit" in request.POST:
            messages.success(request, _("Saved. You can continue later, from any device."))
            return redirect("applications:detail", pk=pk)
        if request.method == "POST" and not errors:
            return redirect(_next_url(application, step))
    else:
        errors = {}
    form = StepForm(step_spec, application.answers, errors)
    return render(
        request,
        "applications/step.html",
        {"application": application, "step": step_spec, "form": form, "steps": _steps_nav(application, step)},
    )


def _field_fragment(
    request: HttpRequest, application: Application, step_spec: Any, errors: dict[str, str]
) -> HttpResponse:
    """Inline validation: the one field that changed, re-rendered with its message."""
    name = request.GET.get("field", "")
    form = StepForm(step_spec, application.answers, {k: v for k, v in errors.items() if k == name})
    if name not in form.fields:
        return HttpResponse(status=204)
    return render(request, "includes/field.html", {"field": form[name]})


@never_cache
@login_keeping_answers
def application_documents(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.state not in {State.DRAFT, State.CORRECTION_REQUESTED}:
        return redirect("applications:detail", pk=pk)
    return documents_page(request, application, in_correction=application.state == State.CORRECTION_REQUESTED)


def documents_page(
    request: AuthenticatedRequest, application: Application, *, in_correction: bool, **more: Any
) -> HttpResponse:
    """The documents step, for the applicant and for an officer entering an assisted case: an
    upload or a removal, then the page again with each slot's problem kept beside it. ``more``
    adds to the page's context or replaces in it (the officer's steps lead to their own pages)."""
    upload_errors: dict[str, str] = {}
    if request.method == "POST":
        slot = request.POST.get("slot", "")
        if "remove" in request.POST:
            try:
                services.document_remove(application=application, slot=slot, actor=request.user)
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            return redirect(request.path)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.document_upload(
                    application=application,
                    slot=slot,
                    upload=upload,
                    file_name=upload.name,
                    actor=request.user,
                    client=client_ip(request),
                    idempotency_key=idempotency.form_key(request.POST),
                )
            except ApplicationError as exc:
                upload_errors[slot] = str(exc.message)
            else:
                messages.success(request, _("Document uploaded."))
                return redirect(f"{request.path}#slot-{slot}")
        else:
            upload_errors[slot] = _("Choose a file to upload.")
    slots = selectors.slot_views(application)
    context = {
        "application": application,
        "slots": slots,
        "upload_errors": upload_errors,
        # Shown at the top of the page too, which opens at the top, with a link to the slot.
        "upload_problems": [
            (item.slot, upload_errors[item.slot.key]) for item in slots if item.slot.key in upload_errors
        ],
        "steps": _steps_nav(application, "documents"),
        "in_correction": in_correction,
        "max_size": settings.APPLICATION_DOCUMENT_MAX_BYTES,
        **more,
    }
    return render(request, "applications/documents.html", context, status=400 if upload_errors else 200)


@never_cache
@login_keeping_answers
def application_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.state != State.DRAFT:
        return redirect("applications:detail", pk=pk)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                application=application, declaration=form.cleaned_data["declaration"], actor=request.user
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your application was submitted."))
            return redirect("applications:detail", pk=pk)
    problems = selectors.submit_problems(application)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "form": form,
            "summary": _answer_summary(application, problems.answers),
            "problems": problems,
            "slots": selectors.slot_views(application),
            "steps": _steps_nav(application, "review"),
            "terms": selectors.submission_terms(application),
        },
        status=400 if form.errors else 200,
    )


def _answer_summary(application: Application, errors: dict[str, str]) -> list[dict[str, Any]]:
    """The answers by step with each one's problem, and where to change them (review page)."""
    return [
        {"step": step, "rows": rows, "url": reverse("applications:step", args=[application.pk, step.slug])}
        for step, rows in selectors.answer_rows(application, errors)
    ]


# --- The case ---------------------------------------------------------------------------------


@never_cache
@login_required
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            # The standard the case has, or (a draft) the one a submission today would get.
            "terms": application.terms or selectors.submission_terms(application),
            # A draft whose office cannot take the service now (a notice, a shortage): why.
            "not_offered": selectors.why_not_offered(application),
            "timeline": _marked(request, selectors.timeline(application)),
            "next_step": selectors.next_step(application),
            "slots": selectors.slot_views(application),
            "case_checks": selectors.case_checks(application, for_staff=False),
            "corrections": selectors.open_corrections(application),
            "case_panels": panels.shown(panels.APPLICANT_CASE, request, application=application),
            "can_cancel": application.state
            in {State.DRAFT, State.SUBMITTED, State.AWAITING_PAYMENT, State.CORRECTION_REQUESTED},
        },
    )


@require_POST
@login_required
def application_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    carry_out(
        request,
        lambda: services.application_cancel(application=application, actor=request.user),
        _("The application was cancelled."),
    )
    return redirect("applications:detail", pk=pk)


@never_cache
@login_keeping_answers
def application_corrections(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Only what the officer asked about can change here; then the applicant sends it back."""
    application = _own(request, pk)
    if application.state != State.CORRECTION_REQUESTED:
        return redirect("applications:detail", pk=pk)
    items = selectors.open_corrections(application)
    spec = selectors.spec_of(application)
    field_names = [i.correction.target for i in items if not i.is_document]
    step = Step(
        "corrections",
        _("Corrections"),
        "",
        tuple(f for f in spec.field_map().values() if f.name in field_names),
    )
    errors: dict[str, str] = {}
    values = _typed_answers(request, field_names)
    if values is not None and field_names:
        errors = services.application_save_answers(
            application=application, values=values, actor=request.user
        ).errors
        application.refresh_from_db()
    if request.method == "POST" and "resubmit" in request.POST and not errors:
        try:
            services.application_resubmit(application=application, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your corrections were sent to the office."))
            return redirect("applications:detail", pk=pk)
    elif request.method == "POST" and not errors:
        messages.success(request, _("Saved."))
        return redirect(request.path)
    form = StepForm(step, application.answers, errors) if field_names else None
    return render(
        request,
        "applications/corrections.html",
        {
            "application": application,
            "items": selectors.open_corrections(application),
            "form": form,
            "slots": [s for s in selectors.slot_views(application) if s.correction is not None],
        },
        status=400 if errors else 200,
    )


@login_required
def document_file(request: AuthenticatedRequest, pk: int, document_id: int) -> HttpResponseBase:
    """A document of one's own application; never from a public address."""
    application = _own(request, pk)
    document = get_object_or_404(Document, pk=document_id, application=application)
    return document_response(document)


def document_response(document: Document) -> HttpResponseBase:
    """A stored document, shown inline but sandboxed and never cached; callers check access.
    A file erased with the case's personal data is not found."""
    if not document.file:
        raise Http404
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(document.content_type, "jpg")
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, filename=f"{document.slot}.{extension}"
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


def _marked(request: HttpRequest, timeline: list[selectors.TimelineEntry]) -> list[selectors.TimelineEntry]:
    """The timeline with what other apps add under each step (core.marks)."""
    ids = [entry.event_id for entry in timeline if entry.event_id is not None]
    found = marks.marks_of(marks.TIMELINE_EVENTS, request, ids)
    for entry in timeline:
        entry.marks = found.get(entry.event_id, []) if entry.event_id is not None else []
    return timeline


# --- Public tracking --------------------------------------------------------------------------


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST if request.method == "POST" else None)
    result = None
    not_found = False
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        try:
            result = selectors.track_limited(
                number, form.cleaned_data["date_of_birth"], client=client_ip(request)
            )
        except RateLimited as exc:
            form.add_error(None, str(exc.message))
        else:
            not_found = result is None
            if result is not None:
                _marked(request, result.steps)
    status = 429 if form.non_field_errors() else (400 if form.errors else 200)
    return render(
        request,
        "applications/track.html",
        {"form": form, "result": result, "not_found": not_found},
        status=status,
    )


# --- Taking an assisted application over online ---------------------------------------------


@never_cache
def take_over(request: HttpRequest) -> HttpResponse:
    """A person whose application an officer entered at the office takes it over with its
    number and the one-time code (printed summary, SMS): they choose their email address and
    password, are signed in, and from then on use the case as any applicant does."""
    form = TakeOverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_take_over(
                number=data["number"],
                code=data["code"],
                email=data["email"],
                password=data["password"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
                client=client_ip(request),
            )
        except RateLimited as exc:
            form.add_error(None, str(exc.message))
            return render(request, "applications/take_over.html", {"form": form}, status=429)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            login(request, application.applicant, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "The application is yours online now. We sent a link to confirm your email address; "
                    "you can also turn on two-step sign-in under Security."
                ),
            )
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/take_over.html", {"form": form}, status=400 if form.errors else 200)
