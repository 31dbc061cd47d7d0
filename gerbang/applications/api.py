"""Every applicant action as JSON: the same services as the pages, so the two never disagree.

Signed-in endpoints take the browser session (with its CSRF token) or an app's token with the
scope applications:read or applications:write; public tracking needs no sign-in and is rate limited like the page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params import functions as params

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.throttling import client_ip
from gerbang.applications import selectors, services
from gerbang.applications.answers import check_answers, is_shown
from gerbang.applications.models import Application
from gerbang.applications.views import document_response
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import NotFound, ValidationError

router = Router(tags=["applications"])
# The file part of a multipart upload (``ninja.File`` is a typing alias to type checkers).
REQUIRED_FILE = params.File(...)


class StartIn(Schema):
    service: str
    office: str
    for_child: bool = False


class AnswersIn(Schema):
    answers: dict[str, str]
    step: str | None = None


class SubmitIn(Schema):
    declaration: bool


class TrackIn(Schema):
    number: str
    date_of_birth: date


class FieldOut(Schema):
    name: str
    kind: str
    label: str
    help: str
    required: bool
    choices: list[tuple[str, str]]
    shown: bool


class StepOut(Schema):
    slug: str
    title: str
    fields: list[FieldOut]


class DocumentSlotOut(Schema):
    key: str
    label: str
    help: str
    document_id: int | None
    status: str | None
    checks: list[str]
    correction: str | None


class TimelineOut(Schema):
    at: datetime
    code: str
    text: str
    reason: str
    state: str


class ApplicationOut(Schema):
    id: int
    number: str | None
    service: str
    office: str
    state: str
    state_label: str
    version: int
    for_child: bool
    fee: int | None
    payment_due_at: datetime | None
    due_date: date | None
    next_step: str | None


class ApplicationDetailOut(ApplicationOut):
    answers: dict[str, Any]
    errors: dict[str, str]
    steps: list[StepOut]
    documents: list[DocumentSlotOut]
    timeline: list[TimelineOut]
    corrections: list[dict[str, str]]


class AnswersOut(Schema):
    errors: dict[str, str]
    version: int


class TrackOut(Schema):
    number: str
    service: str
    office: str
    state: str
    submitted_at: datetime | None
    due_date: date | None
    timeline: list[TimelineOut]


def _summary(application: Application) -> dict[str, Any]:
    step = selectors.next_step(application)
    return {
        "id": application.pk,
        "number": application.number,
        "service": application.service.code,
        "office": application.office.code,
        "state": application.state,
        "state_label": application.state_label,
        "version": application.version,
        "for_child": application.for_child,
        "fee": application.fee,
        "payment_due_at": application.payment_due_at,
        "due_date": application.due_date,
        "next_step": step.text if step else None,
    }


def _detail(application: Application) -> dict[str, Any]:
    spec = selectors.spec_of(application)
    answers = application.answers
    errors = check_answers(
        spec, answers, today=selectors.office_today(application), for_child=application.for_child
    ).errors
    return {
        **_summary(application),
        "answers": answers,
        "errors": errors if application.state == "draft" else {},
        "steps": [
            {
                "slug": step.slug,
                "title": str(step.title),
                "fields": [
                    {
                        "name": f.name,
                        "kind": f.kind,
                        "label": str(f.label),
                        "help": str(f.help),
                        "required": f.required,
                        "choices": [(value, str(label)) for value, label in f.choices],
                        "shown": is_shown(f, answers),
                    }
                    for f in step.fields
                ],
            }
            for step in spec.steps
        ],
        "documents": [_slot(view) for view in selectors.slot_views(application)],
        "timeline": [
            {"at": e.at, "code": e.code, "text": e.text, "reason": e.reason, "state": e.state}
            for e in selectors.timeline(application)
        ],
        "corrections": [
            {"target": item.correction.target, "label": item.label, "message": item.correction.message}
            for item in selectors.open_corrections(application)
        ],
    }


def _slot(view: selectors.SlotView) -> dict[str, Any]:
    return {
        "key": view.slot.key,
        "label": str(view.slot.label),
        "help": str(view.slot.help),
        "document_id": view.document.pk if view.document else None,
        "status": view.document.status if view.document else None,
        "checks": view.messages,
        "correction": view.correction.message if view.correction else None,
    }


def _own(request: AuthenticatedRequest, pk: int) -> Application:
    application = selectors.application_of(request.user, pk)
    if application is None:
        raise NotFound()
    return application


@router.get("/applications", response=list[ApplicationOut], auth=signed_in(Scope.APPLICATIONS_READ))
def list_applications(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [_summary(a) for a in selectors.applications_of(request.user)]


@router.post("/applications", response={201: ApplicationDetailOut}, auth=signed_in(Scope.APPLICATIONS_WRITE))
def start_application(request: AuthenticatedRequest, payload: StartIn) -> Status[Any]:
    service = catalog.service_by_code(payload.service)
    if service is None:
        raise ValidationError(_("Unknown service."), field="service")
    office = Office.objects.public().filter(code=payload.office).first()
    if office is None:
        raise ValidationError(_("Unknown office."), field="office")
    application = services.application_start(
        applicant=request.user, service=service, office=office, for_child=payload.for_child
    )
    return Status(201, _detail(application))


@router.get("/applications/{pk}", response=ApplicationDetailOut, auth=signed_in(Scope.APPLICATIONS_READ))
def get_application(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    return _detail(_own(request, pk))


@router.patch("/applications/{pk}/answers", response=AnswersOut, auth=signed_in(Scope.APPLICATIONS_WRITE))
def save_answers(request: AuthenticatedRequest, pk: int, payload: AnswersIn) -> dict[str, Any]:
    """Keep the answers as given (valid or not); the errors say what to fix."""
    application = _own(request, pk)
    checked = services.application_save_answers(
        application=application, values=payload.answers, actor=request.user, step=payload.step
    )
    application.refresh_from_db()
    return {"errors": checked.errors, "version": application.version}


@router.post(
    "/applications/{pk}/documents/{slot}",
    response={201: DocumentSlotOut},
    auth=signed_in(Scope.APPLICATIONS_WRITE),
)
def upload_document(
    request: AuthenticatedRequest, pk: int, slot: str, file: UploadedFile = REQUIRED_FILE
) -> Status[Any]:
    application = _own(request, pk)
    services.document_upload(
        application=application,
        slot=slot,
        upload=file,
        file_name=file.name or "",
        actor=request.user,
        client=client_ip(request),
    )
    return Status(201, next(_slot(v) for v in selectors.slot_views(application) if v.slot.key == slot))


@router.delete(
    "/applications/{pk}/documents/{slot}", response={204: None}, auth=signed_in(Scope.APPLICATIONS_WRITE)
)
def remove_document(request: AuthenticatedRequest, pk: int, slot: str) -> Status[Any]:
    services.document_remove(application=_own(request, pk), slot=slot, actor=request.user)
    return Status(204, None)


@router.get("/applications/{pk}/documents/{slot}/file", auth=signed_in(Scope.APPLICATIONS_READ))
def document_file(request: AuthenticatedRequest, pk: int, slot: str) -> HttpResponseBase:
    document = _own(request, pk).documents.filter(slot=slot, is_current=True).first()
    if document is None:
        raise NotFound()
    return document_response(document)


@router.post(
    "/applications/{pk}/submit", response=ApplicationDetailOut, auth=signed_in(Scope.APPLICATIONS_WRITE)
)
def submit(request: AuthenticatedRequest, pk: int, payload: SubmitIn) -> dict[str, Any]:
    application = services.application_submit(
        application=_own(request, pk), declaration=payload.declaration, actor=request.user
    )
    return _detail(application)


@router.post(
    "/applications/{pk}/resubmit", response=ApplicationDetailOut, auth=signed_in(Scope.APPLICATIONS_WRITE)
)
def resubmit(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    return _detail(services.application_resubmit(application=_own(request, pk), actor=request.user))


@router.post(
    "/applications/{pk}/cancel", response=ApplicationDetailOut, auth=signed_in(Scope.APPLICATIONS_WRITE)
)
def cancel(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    return _detail(services.application_cancel(application=_own(request, pk), actor=request.user))


@router.post("/track", response=TrackOut)
def track(request: HttpRequest, payload: TrackIn) -> dict[str, Any]:
    """Status and timeline by number and birth date; a wrong number or date get the same 404."""
    result = selectors.track_limited(payload.number, payload.date_of_birth, client=client_ip(request))
    if result is None:
        raise NotFound(
            _("We found no application with this number and date of birth. Check both and try again.")
        )
    return {
        "number": result.number,
        "service": result.service,
        "office": result.office,
        "state": result.state,
        "submitted_at": result.submitted_at,
        "due_date": result.due_date,
        "timeline": [
            {"at": e.at, "code": e.code, "text": e.text, "reason": e.reason, "state": e.state}
            for e in result.steps
        ],
    }
