"""The back office's pages for assisted applications: an officer opens an application for a
walk-in person with their consent, enters the same guided form and documents (the office
scanner or the device's camera), submits it, prints the summary with the take-over code, and
issues a new code when needed. Thin: parse, call a service or a selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.applications import selectors, services
from gerbang.applications.consents import ASSISTED_TEXT, ASSISTED_VERSION
from gerbang.applications.forms import AssistedStartForm, AssistedSubmitForm, StepForm
from gerbang.applications.models import Application, Document
from gerbang.applications.views import (
    _answer_summary,
    _field_fragment,
    checked_only,
    document_response,
    documents_page,
)
from gerbang.applications.workflow import State
from gerbang.catalog import selectors as catalog
from gerbang.core import panels
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.pdf import render_pdf


def _case(request: AuthenticatedRequest, pk: int) -> Application:
    require_permission(request.user, Perm.CASE_ASSIST)
    application = selectors.assisted_case_for(request.user, pk)
    if application is None:
        raise Http404
    return application


def _draft(request: AuthenticatedRequest, pk: int) -> Application | None:
    """The assisted case while the officer may still enter it; None when it moved on."""
    application = _case(request, pk)
    return application if selectors.assisting(application, request.user) else None


def _steps_nav(application: Application, current: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [
        {
            "slug": s.slug,
            "title": s.title,
            "url": reverse("backoffice:assisted_step", args=[application.pk, s.slug]),
        }
        for s in selectors.spec_of(application).steps
    ]
    items.append(
        {
            "slug": "documents",
            "title": _("Documents"),
            "url": reverse("backoffice:assisted_documents", args=[application.pk]),
        }
    )
    items.append(
        {
            "slug": "review",
            "title": _("Review and submit"),
            "url": reverse("backoffice:assisted_review", args=[application.pk]),
        }
    )
    for item in items:
        item["current"] = item["slug"] == current
    return items


def assisted_list(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CASE_ASSIST)
    return render(
        request,
        "applications/backoffice/assisted_list.html",
        {"cases": selectors.assisted_cases(request.user)[:100]},
    )


@never_cache
def assisted_start(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CASE_ASSIST)
    offices = catalog.offices_visible_to(request.user)
    form = AssistedStartForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        offices=offices,
        services=catalog.public_services(),
        initial={"office": offices.first()} if offices.count() == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_evidence(
                method=data["consent_method"], signature=data["signature"], scan=data["consent_scan"]
            )
            application = services.assisted_application_start(
                officer=request.user,
                office=data["office"],
                service=data["service"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                consent=consent,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Consent recorded. Enter the application with the person."))
            return redirect("backoffice:assisted_step", pk=application.pk, step=application.current_step)
    return render(
        request,
        "applications/backoffice/assisted_start.html",
        {"form": form, "consent_text": ASSISTED_TEXT, "consent_version": ASSISTED_VERSION},
        status=400 if form.errors else 200,
    )


@never_cache
def assisted_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    application = _draft(request, pk)
    if application is None:
        return redirect("backoffice:assisted_summary", pk=pk)
    step_spec = selectors.spec_of(application).step(step)
    if step_spec is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {f.name: request.POST.get(f.name, "") for f in step_spec.fields}
        errors = services.application_save_answers(
            application=application, values=checked_only(request, values), actor=request.user, step=step
        ).errors
        application.refresh_from_db()
        if request.headers.get("HX-Request"):
            return _field_fragment(request, application, step_spec, errors)
        if "save_exit" in request.POST:
            messages.success(request, _("Saved. You can continue later, from any device."))
            return redirect("backoffice:assisted_list")
        if not errors:
            slugs = [s.slug for s in selectors.spec_of(application).steps]
            index = slugs.index(step)
            if index + 1 < len(slugs):
                return redirect("backoffice:assisted_step", pk=pk, step=slugs[index + 1])
            return redirect("backoffice:assisted_documents", pk=pk)
    return render(
        request,
        "applications/step.html",
        {
            "application": application,
            "assisted": True,
            "step": step_spec,
            "form": StepForm(step_spec, application.answers, errors),
            "steps": _steps_nav(application, step),
        },
        status=400 if errors and request.method == "POST" else 200,
    )


@never_cache
def assisted_documents(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _draft(request, pk)
    if application is None:
        return redirect("backoffice:assisted_summary", pk=pk)
    return documents_page(
        request, application, in_correction=False, assisted=True, steps=_steps_nav(application, "documents")
    )


@never_cache
def assisted_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _draft(request, pk)
    if application is None:
        return redirect("backoffice:assisted_summary", pk=pk)
    form = AssistedSubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assisted_application_submit(
                application=application, declaration=form.cleaned_data["declaration"], actor=request.user
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The application was submitted. Print the summary for the person."))
            return redirect("backoffice:assisted_summary", pk=pk)
    problems = selectors.submit_problems(application)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "assisted": True,
            "form": form,
            "summary": [
                {
                    **group,
                    "url": reverse("backoffice:assisted_step", args=[application.pk, group["step"].slug]),
                }
                for group in _answer_summary(application, problems.answers)
            ],
            "problems": problems,
            "slots": selectors.slot_views(application),
            "steps": _steps_nav(application, "review"),
            "terms": selectors.submission_terms(application),
        },
        status=400 if form.errors else 200,
    )


def _summary_context(request: AuthenticatedRequest, application: Application) -> dict[str, Any]:
    shown = selectors.takeover_code_shown(application)
    return {
        "summary_panels": panels.shown(panels.ASSISTED_SUMMARY, request, application=application),
        "application": application,
        "intake": selectors.intake_of(application),
        "rows": selectors.answer_rows(application, {}),
        "slots": selectors.slot_views(application),
        "code": shown[0] if shown else "",
        "code_expires": shown[1].expires_at if shown else None,
        "takeover_url": f"{settings.SITE_URL}{reverse('applications:take_over')}",
        "track_url": f"{settings.SITE_URL}{reverse('applications:track')}",
        "next_step": selectors.next_step(application),
        "terms": application.terms,
    }


@never_cache
def assisted_summary(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    if application.state == State.DRAFT:
        return redirect("backoffice:assisted_review", pk=pk)
    return render(
        request, "applications/backoffice/assisted_summary.html", _summary_context(request, application)
    )


@never_cache
def assisted_summary_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The summary to print and hand to the person, in their language (``?lang=`` to choose)."""
    application = _case(request, pk)
    if application.state == State.DRAFT:
        raise Http404
    language = request.GET.get("lang") or application.applicant.language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        pdf = render_pdf(
            "applications/assisted_summary_pdf.html",
            {**_summary_context(request, application), "language": language},
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{application.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def takeover_code_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    try:
        services.takeover_code_issue(application=application, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("A new take-over code was issued and sent by SMS; the old one no longer works.")
        )
    return redirect("backoffice:assisted_summary", pk=pk)


def consent_form_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """The printable consent form, in Indonesian and English, for the person to sign."""
    require_permission(request.user, Perm.CASE_ASSIST)
    texts = []
    for language in ("id", "en"):
        with translation.override(language):
            texts.append({"language": language, "text": str(ASSISTED_TEXT)})
    pdf = render_pdf("applications/assisted_consent_pdf.html", {"texts": texts, "version": ASSISTED_VERSION})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="consent-assisted.pdf"'
    return response


def assisted_document(request: AuthenticatedRequest, pk: int, document_id: int) -> HttpResponseBase:
    """A document of an assisted case, for the officer entering it (the read is logged)."""
    application = _case(request, pk)
    document = get_object_or_404(Document.objects.exclude(file=""), pk=document_id, application=application)
    services.staff_read_record(
        application=application, actor=request.user, what="document", document=document
    )
    return document_response(document)
