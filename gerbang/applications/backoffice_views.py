"""The officers' pages: the work queue, the case page with its actions, the document viewer and
the office's numbers. Every action posts the case version the officer saw (optimistic locking)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications import selectors, services
from gerbang.applications.forms import DecisionForm, PaymentForm
from gerbang.applications.models import Application, Document
from gerbang.applications.services import CorrectionItem
from gerbang.applications.slots import document_slots
from gerbang.applications.views import document_response
from gerbang.applications.workflow import BY_ACTION, Action, State
from gerbang.catalog.models import Service
from gerbang.catalog.selectors import offices_visible_to
from gerbang.core.exceptions import ApplicationError, Conflict


def _case(request: AuthenticatedRequest, pk: int) -> Application:
    require_permission(request.user, Perm.CASE_VIEW)
    application = selectors.case_for_staff(request.user, pk)
    if application is None:
        raise Http404
    return application


def _version(request: AuthenticatedRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def case_queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CASE_VIEW)
    params = request.GET
    today = timezone.localdate()

    def number(name: str) -> int | None:
        value = params.get(name, "")
        return int(value) if value.isdigit() else None

    filters = {
        "office_id": number("office"),
        "service_id": number("service"),
        "state": params.get("state", "open"),
        "assigned": params.get("assigned", ""),
        "due": params.get("due", ""),
        "sort": params.get("sort", "due"),
        "number": params.get("number", "")[:40],
    }
    cases = selectors.work_queue(user, today=today, **filters)  # type: ignore[arg-type]
    page = Paginator(cases, 50).get_page(params.get("page"))
    rows = [{"case": case, "due": selectors.due_status(case, today)} for case in page]
    return render(
        request,
        "applications/backoffice/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "offices": offices_visible_to(user),
            "services": Service.objects.filter(is_active=True),
            "states": [(s.value, s.label) for s in State if s != State.DRAFT],
            "query": params.urlencode(),
        },
    )


def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    services.staff_read_record(application=application, actor=request.user, what="case")
    return _render_case(request, application)


def _render_case(
    request: AuthenticatedRequest, application: Application, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request.user
    answers = [row for _step, rows in selectors.answer_rows(application) for row in rows]
    actions = [BY_ACTION[a] for a in selectors.staff_actions(application, user)]
    context = {
        "application": application,
        "answers": answers,
        "slots": selectors.slot_views(application, for_staff=True),
        "case_checks": selectors.case_checks(application, for_staff=True),
        "timeline": selectors.timeline(application, for_staff=True),
        "corrections": _labelled_corrections(application),
        "actions": actions,
        "can_work": services.actor_of(application, user) is not None,
        "can_assign": has_permission(user, Perm.CASE_ASSIGN, office_id=application.office_id),
        "assignable": selectors.assignable_staff(application),
        "payments": application.payments.select_related("refund"),
        "payment_form": extra.pop("payment_form", None) or PaymentForm(initial={"amount": application.fee}),
        "decision_form": extra.pop("decision_form", None) or DecisionForm(),
        "due": selectors.due_status(application, timezone.localdate()),
        **extra,
    }
    return render(request, "applications/backoffice/case.html", context, status=status)


def _labelled_corrections(application: Application) -> list[dict[str, Any]]:
    slots = {s.key: s.label for s in document_slots(application)}
    fields = {name: f.label for name, f in services.spec_of(application).field_map().items()}
    return [
        {"correction": c, "label": (slots if c.target_kind == "document" else fields).get(c.target, c.target)}
        for c in application.corrections.all()
    ]


def _after(
    request: AuthenticatedRequest, application: Application, call: Any, success: str, **form_extra: Any
) -> HttpResponse:
    """Run one service; on a stale version show the fresh case with the message (409)."""
    try:
        call()
    except Conflict as exc:
        messages.error(request, str(exc.message))
        fresh = Application.objects.get(pk=application.pk)
        return _render_case(request, fresh, status=409)
    except ApplicationError as exc:
        for form in form_extra.values():
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        if not form_extra:
            messages.error(request, str(exc.message))
        return _render_case(request, Application.objects.get(pk=application.pk), status=400, **form_extra)
    messages.success(request, success)
    return redirect("backoffice:case_detail", pk=application.pk)


@require_POST
def case_action(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        raise Http404 from None
    form = DecisionForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return _after(
        request,
        application,
        lambda: services.application_transition(
            application=application,
            action=action,
            actor=request.user,
            expected_version=_version(request),
            reason_code=data.get("reason_code", ""),
            reason=data.get("reason", ""),
        ),
        _("Done: %(action)s.") % {"action": BY_ACTION[action].label},
        decision_form=form,
    )


@require_POST
def case_claim(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    return _after(
        request,
        application,
        lambda: services.application_claim(
            application=application, actor=request.user, expected_version=_version(request)
        ),
        _("The application is now assigned to you."),
    )


@require_POST
def case_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    assignee_id = request.POST.get("assignee", "")
    assignee = next((u for u in selectors.assignable_staff(application) if str(u.pk) == assignee_id), None)
    return _after(
        request,
        application,
        lambda: services.application_assign(
            application=application, assignee=assignee, actor=request.user, expected_version=_version(request)
        ),
        _("Assignment saved."),
    )


@require_POST
def case_payment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, status=400, payment_form=form)
    return _after(
        request,
        application,
        lambda: services.payment_record_counter(
            application=application,
            receipt_number=form.cleaned_data["receipt_number"],
            amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"],
            actor=request.user,
            expected_version=_version(request),
        ),
        _("Payment recorded."),
        payment_form=form,
    )


@require_POST
def case_corrections(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    items = []
    for key in request.POST.getlist("target"):
        kind, _sep, target = key.partition(":")
        items.append(CorrectionItem(kind, target, request.POST.get(f"message_{key}", "")))
    return _after(
        request,
        application,
        lambda: services.corrections_request(
            application=application, items=items, actor=request.user, expected_version=_version(request)
        ),
        _("Corrections requested; the applicant is told."),
    )


@require_POST
def document_verify(request: AuthenticatedRequest, pk: int, document_id: int) -> HttpResponse:
    application = _case(request, pk)
    document = get_object_or_404(Document, pk=document_id, application=application)
    return _after(
        request,
        application,
        lambda: services.document_verify(
            document=document, actor=request.user, expected_version=_version(request)
        ),
        _("Document verified."),
    )


def document_view(request: AuthenticatedRequest, pk: int, document_id: int) -> HttpResponseBase:
    application = _case(request, pk)
    document = get_object_or_404(Document, pk=document_id, application=application)
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
