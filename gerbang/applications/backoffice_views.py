"""The officers' pages: the work queue, the case page with its actions, the document viewer and
the office's numbers. Every action posts the case version the officer saw (optimistic locking)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications import selectors, services
from gerbang.applications.forms import DecidedFilterForm, DecisionForm
from gerbang.applications.models import Application, Document
from gerbang.applications.services import CorrectionItem
from gerbang.applications.slots import document_slots
from gerbang.applications.views import document_response
from gerbang.applications.workflow import BY_ACTION, Action, State
from gerbang.catalog.models import Service
from gerbang.catalog.selectors import offices_visible_to
from gerbang.core import panels
from gerbang.core.exceptions import ApplicationError, Conflict
from gerbang.core.forms import Refusal, refusal_of


def case_for(request: AuthenticatedRequest, pk: int) -> Application:
    require_permission(request.user, Perm.CASE_VIEW)
    application = selectors.case_for_staff(request.user, pk)
    if application is None:
        raise Http404
    return application


def posted_version(request: AuthenticatedRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def case_queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CASE_VIEW)
    params = request.GET

    def number(name: str) -> int | None:
        value = params.get(name, "")
        return int(value) if value.isdigit() else None

    asked_by = number("decided_by")
    # A date mistyped is said at its field; the list follows the filters that were understood.
    decided = DecidedFilterForm(params, deciders=selectors.deciders(user, including=asked_by))
    decided.is_valid()
    decided_filters = {
        name: value for name, value in decided.cleaned_data.items() if name not in decided.errors
    }
    filters = {
        "office_id": number("office"),
        "service_id": number("service"),
        "state": params.get("state", "open"),
        "assigned": params.get("assigned", ""),
        "due": params.get("due", ""),
        "sort": params.get("sort", "due"),
        "number": params.get("number", "")[:40],
    }
    cases = selectors.work_queue(user, **filters, **decided_filters)  # type: ignore[arg-type]
    page = Paginator(cases, 50).get_page(params.get("page"))
    rows = [{"case": case, "due": selectors.due_status(case, selectors.office_today(case))} for case in page]
    return render(
        request,
        "applications/backoffice/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "decided": decided,
            "offices": offices_visible_to(user),
            "services": Service.objects.filter(is_active=True),
            "states": [(s.value, s.label) for s in State if s != State.DRAFT],
            "query": params.urlencode(),
        },
        status=400 if decided.errors else 200,
    )


def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = case_for(request, pk)
    services.staff_read_record(application=application, actor=request.user, what="case")
    return render_case(request, application)


def render_case(
    request: AuthenticatedRequest,
    application: Application,
    status: int = 200,
    *,
    refusal: Refusal | None = None,
    form: forms.Form | None = None,
) -> HttpResponse:
    """The case page; after a refused action, with the refusal shown at its form (``form`` is that
    form as posted, so what was typed stays) and summarised at the top."""
    user = request.user
    answers = [row for _step, rows in selectors.answer_rows(application) for row in rows]
    actions = []
    for action in selectors.staff_actions(application, user):
        transition = BY_ACTION[action]
        decision = None
        if transition.needs_reason or transition.needs_reason_code:
            posted = isinstance(form, DecisionForm) and form.transition.action == action
            decision = form if posted else DecisionForm(transition=transition)
        actions.append({"transition": transition, "form": decision, "anchor": f"act-{action}"})
    context = {
        "application": application,
        "answers": answers,
        "slots": selectors.slot_views(application, for_staff=True),
        "case_checks": selectors.case_checks(application, for_staff=True),
        "timeline": selectors.timeline(application, for_staff=True),
        "corrections": _labelled_corrections(application),
        "actions": actions,
        "can_work": selectors.actor_of(application, user) is not None,
        "can_assign": has_permission(user, Perm.CASE_ASSIGN, office_id=application.office_id),
        "assignable": selectors.assignable_staff(application),
        "case_panels": panels.shown(panels.STAFF_CASE, request, application=application, form=form),
        "action_panels": panels.shown(panels.STAFF_CASE_ACTIONS, request, application=application, form=form),
        # A refused correction request comes back with its ticks and notes as typed.
        "posted_targets": request.POST.getlist("target") if request.method == "POST" else [],
        "due": selectors.due_status(application, selectors.office_today(application)),
        "refusal": refusal,
        "problems": refusal.problems if refusal else (),
    }
    return render(request, "applications/backoffice/case.html", context, status=status)


def _labelled_corrections(application: Application) -> list[dict[str, Any]]:
    slots = {s.key: s.label for s in document_slots(application)}
    fields = {name: f.label for name, f in selectors.spec_of(application).field_map().items()}
    return [
        {"correction": c, "label": (slots if c.target_kind == "document" else fields).get(c.target, c.target)}
        for c in application.corrections.all()
    ]


def after_action(
    request: AuthenticatedRequest,
    application: Application,
    call: Any,
    success: str,
    *,
    anchor: str,
    form: forms.Form | None = None,
) -> HttpResponse:
    """Run one service. Done: the case page opens at its top (``#top``, which also replaces the
    form's anchor the browser would otherwise keep across the redirect), where the message and
    the new state are. Refused (a stale version included): the case is shown again, fresh, with the
    refusal at the form at ``anchor`` (where the page opens: each form posts to ``…#anchor``)
    and summarised at the top."""
    try:
        call()
    except ApplicationError as exc:
        fresh = Application.objects.get(pk=application.pk)
        status = 409 if isinstance(exc, Conflict) else 400
        return render_case(
            request, fresh, status=status, refusal=refusal_of(anchor, form=form, exc=exc), form=form
        )
    messages.success(request, success)
    return redirect(reverse("backoffice:case_detail", args=[application.pk]) + "#top")


@require_POST
def case_action(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = case_for(request, pk)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        raise Http404 from None
    transition = BY_ACTION[action]
    anchor = f"act-{action}"
    form = None
    if transition.needs_reason or transition.needs_reason_code:
        form = DecisionForm(request.POST, transition=transition)
        if not form.is_valid():
            return render_case(
                request, application, status=400, refusal=refusal_of(anchor, form=form), form=form
            )
    data = form.cleaned_data if form is not None else {}
    return after_action(
        request,
        application,
        lambda: services.application_transition(
            application=application,
            action=action,
            actor=request.user,
            expected_version=posted_version(request),
            reason_code=data.get("reason_code", ""),
            reason=data.get("reason", ""),
        ),
        _("Done. The application is now “%(state)s”.") % {"state": State(transition.target).label},
        anchor=anchor,
        form=form,
    )


@require_POST
def case_claim(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = case_for(request, pk)
    return after_action(
        request,
        application,
        lambda: services.application_claim(
            application=application, actor=request.user, expected_version=posted_version(request)
        ),
        _("The application is now assigned to you."),
        anchor="act-claim",
    )


@require_POST
def case_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = case_for(request, pk)
    assignee_id = request.POST.get("assignee", "")
    assignee = next((u for u in selectors.assignable_staff(application) if str(u.pk) == assignee_id), None)
    return after_action(
        request,
        application,
        lambda: services.application_assign(
            application=application,
            assignee=assignee,
            actor=request.user,
            expected_version=posted_version(request),
        ),
        _("Assignment saved."),
        anchor="act-assign",
    )


@require_POST
def case_corrections(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = case_for(request, pk)
    items = []
    for key in request.POST.getlist("target"):
        kind, _sep, target = key.partition(":")
        items.append(CorrectionItem(kind, target, request.POST.get(f"message_{key}", "")))
    return after_action(
        request,
        application,
        lambda: services.corrections_request(
            application=application, items=items, actor=request.user, expected_version=posted_version(request)
        ),
        _("Corrections requested; the applicant is told."),
        anchor="act-corrections",
    )


@require_POST
def document_verify(request: AuthenticatedRequest, pk: int, document_id: int) -> HttpResponse:
    application = case_for(request, pk)
    document = get_object_or_404(Document, pk=document_id, application=application)
    return after_action(
        request,
        application,
        lambda: services.document_verify(
            document=document, actor=request.user, expected_version=posted_version(request)
        ),
        _("Document verified."),
        anchor=f"doc-{document.slot}",
    )


def document_view(request: AuthenticatedRequest, pk: int, document_id: int) -> HttpResponseBase:
    application = case_for(request, pk)
    document = get_object_or_404(Document.objects.exclude(file=""), pk=document_id, application=application)
    services.staff_read_record(
        application=application, actor=request.user, what="document", document=document
    )
    return document_response(document)


def office_numbers(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CASE_VIEW)
    office = request.GET.get("office", "")
    office_id = int(office) if office.isdigit() else None
    return render(
        request,
        "applications/backoffice/numbers.html",
        {
            "numbers": selectors.office_numbers(user, office_id=office_id),
            "offices": offices_visible_to(user),
            "office_id": office_id,
        },
    )
