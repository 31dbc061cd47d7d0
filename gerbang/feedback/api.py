"""Consultations and reports as JSON: the same services as the pages. Consultations and one's
own reports need a signed-in person; an anonymous report is filed and followed by its code."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.throttling import client_ip
from gerbang.applications import selectors as applications
from gerbang.catalog.models import Office
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import NotFound, ValidationError
from gerbang.feedback import report_selectors, report_services, selectors, services
from gerbang.feedback.models import Consultation, Report

router = Router(tags=["consultations"], auth=signed_in(Scope.FEEDBACK))


class AskIn(Schema):
    topic: str
    subject: str
    body: str
    office: str | None = None
    application: int | None = None


class MessageIn(Schema):
    body: str
    # The newest message id the writer had read; a newer one answers 409 ``new_message``.
    seen: int | None = None


class MessageOut(Schema):
    id: int
    from_office: bool
    body: str
    created_at: datetime
    # The names of the files given with the message (opened on the web pages).
    attachments: list[str]


def _message(message: Any) -> dict[str, Any]:
    """A thread's message (a question's or a report's) as the API shows it."""
    return {
        "id": message.pk,
        "from_office": message.from_office,
        "body": message.body,
        "created_at": message.created_at,
        "attachments": [a.name for a in message.attachments.all()],
    }


class ConsultationOut(Schema):
    id: int
    reference: str
    office: str
    application: str | None
    topic: str
    topic_label: str
    subject: str
    status: str
    status_label: str
    answer_due: date
    created_at: datetime
    updated_at: datetime


class ConsultationDetailOut(ConsultationOut):
    messages: list[MessageOut]


def _summary(consultation: Consultation) -> dict[str, Any]:
    return {
        "id": consultation.pk,
        "reference": consultation.reference,
        "office": consultation.office.code,
        "application": consultation.application.number if consultation.application else None,
        "topic": consultation.topic,
        "topic_label": consultation.topic_label,
        "subject": consultation.subject,
        "status": consultation.status,
        "status_label": consultation.status_label,
        "answer_due": consultation.answer_due,
        "created_at": consultation.created_at,
        "updated_at": consultation.updated_at,
    }


def _detail(consultation: Consultation) -> dict[str, Any]:
    return {
        **_summary(consultation),
        "messages": [_message(m) for m in selectors.messages_of(consultation)],
    }


def _own(request: HttpRequest, pk: int) -> Consultation:
    consultation = selectors.consultation_of(request.user, pk)
    if consultation is None:
        raise NotFound()
    return consultation


@router.get("/consultations", response=list[ConsultationOut])
def consultation_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(c) for c in selectors.consultations_of(request.user)[:100]]


@router.post("/consultations", response={201: ConsultationDetailOut})
def consultation_ask(request: HttpRequest, data: AskIn) -> Status[Any]:
    application = None
    if data.application is not None:
        application = applications.application_of(request.user, data.application)
        if application is None or application.number is None:
            raise ValidationError(_("Choose one of your submitted applications."), field="application")
        office = application.office
    else:
        found = Office.objects.public().filter(code=data.office or "").first()
        if found is None:
            raise ValidationError(_("Choose an office by its code."), field="office")
        office = found
    consultation = services.consultation_open(
        asker=request.user,
        office=office,
        topic=data.topic,
        subject=data.subject,
        body=data.body,
        application=application,
    )
    return Status(201, _detail(consultation))


@router.get("/consultations/{pk}", response=ConsultationDetailOut)
def consultation_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(_own(request, pk))


@router.post("/consultations/{pk}/messages", response={201: ConsultationDetailOut})
def consultation_message(request: AuthenticatedRequest, pk: int, data: MessageIn) -> Status[Any]:
    consultation = _own(request, pk)
    services.consultation_follow_up(
        consultation=consultation, body=data.body, actor=request.user, seen_message_id=data.seen
    )
    return Status(201, _detail(_own(request, pk)))


@router.post("/consultations/{pk}/close", response=ConsultationDetailOut)
def consultation_close(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    consultation = services.consultation_close(consultation=_own(request, pk), actor=request.user)
    return _detail(_own(request, consultation.pk))


# --- Reports (complaints, aspirations, information requests) ----------------------------------------


class ReportIn(Schema):
    kind: str
    # What it is about (ReportTopic): service, conduct, charges, brokers, facilities, online,
    # policy or other.
    topic: str
    subject: str
    body: str
    # An office's code; none (or "national"): the national complaints unit.
    office: str | None = None
    application: int | None = None
    # "open" or "confidential" when signed in; the anonymous endpoint files "anonymous".
    privacy: str = "open"
    about_staff: bool = False


class AnonymousReportIn(Schema):
    kind: str
    topic: str
    subject: str
    body: str
    office: str | None = None
    about_staff: bool = False


class CodeIn(Schema):
    code: str


class CodeMessageIn(MessageIn):
    code: str


class ReportStepOut(Schema):
    at: datetime
    text: str


class ReportOut(Schema):
    reference: str
    kind: str
    kind_label: str
    topic: str
    topic_label: str
    office: str | None
    subject: str
    status: str
    status_label: str
    tier: str
    due: date | None
    working_days_left: int | None
    working_days_overdue: int | None
    created_at: datetime
    updated_at: datetime


class OwnReportOut(ReportOut):
    id: int
    application: str | None


class ReportDetailOut(ReportOut):
    referral: str
    messages: list[MessageOut]
    steps: list[ReportStepOut]


class OwnReportDetailOut(ReportDetailOut):
    id: int
    application: str | None


class FiledOut(ReportDetailOut):
    # Shown once: the only way to follow an anonymous report. Gerbang keeps no copy.
    code: str


def _report_summary(report: Report, *, own: bool) -> dict[str, Any]:
    timer = report_selectors.timer(report)
    found: dict[str, Any] = {
        "reference": report.reference,
        "kind": report.kind,
        "kind_label": report.kind_label,
        "topic": report.topic,
        "topic_label": report.topic_label,
        "office": report.office.code if report.office else None,
        "subject": report.subject,
        "status": report.status,
        "status_label": report.status_label,
        "tier": report.tier,
        "due": timer.due,
        "working_days_left": timer.left if timer.running else None,
        "working_days_overdue": timer.overdue if timer.running else None,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
    }
    if own:
        found["id"] = report.pk
        found["application"] = report.application.number if report.application else None
    return found


def _report_detail(report: Report, *, own: bool) -> dict[str, Any]:
    return {
        **_report_summary(report, own=own),
        "referral": report.referral,
        "messages": [_message(m) for m in report_selectors.messages_of(report)],
        "steps": report_selectors.timeline(report),
    }


def _own_report(request: HttpRequest, pk: int) -> Report:
    report = report_selectors.report_of(request.user, pk)
    if report is None:
        raise NotFound()
    return report


def _by_code(request: HttpRequest, code: str) -> Report:
    report = report_selectors.report_by_code_limited(code, client=client_ip(request))
    if report is None:
        raise ValidationError(_("No report has this code. Check it letter by letter."), field="code")
    return report


def _destination(code: str | None) -> Office | None:
    if not code or code == "national":
        return None
    office = Office.objects.public().filter(code=code).first()
    if office is None:
        raise ValidationError(_("Choose an office by its code, or national."), field="office")
    return office


@router.get("/reports", response=list[OwnReportOut], tags=["reports"])
def report_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_report_summary(r, own=True) for r in report_selectors.reports_of(request.user)[:100]]


@router.post("/reports", response={201: OwnReportDetailOut}, tags=["reports"])
def report_file(request: HttpRequest, data: ReportIn) -> Status[Any]:
    application = None
    if data.application is not None:
        application = applications.application_of(request.user, data.application)
        if application is None or application.number is None:
            raise ValidationError(_("Choose one of your submitted applications."), field="application")
    if data.privacy not in ("open", "confidential"):
        raise ValidationError(
            _("Choose open or confidential; anonymous reports are filed without signing in."), field="privacy"
        )
    filed = report_services.report_submit(
        kind=data.kind,
        topic=data.topic,
        office=_destination(data.office),
        subject=data.subject,
        body=data.body,
        privacy=data.privacy,
        about_staff=data.about_staff,
        application=application,
        actor=request.user,
        channel="api",
    )
    return Status(201, _report_detail(filed.report, own=True))


@router.get("/reports/{int:pk}", response=OwnReportDetailOut, tags=["reports"])
def report_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _report_detail(_own_report(request, pk), own=True)


@router.post("/reports/{int:pk}/messages", response={201: OwnReportDetailOut}, tags=["reports"])
def report_message(request: HttpRequest, pk: int, data: MessageIn) -> Status[Any]:
    report_services.report_reply(
        report=_own_report(request, pk), actor=request.user, body=data.body, seen_message_id=data.seen
    )
    return Status(201, _report_detail(_own_report(request, pk), own=True))


@router.post("/reports/{int:pk}/confirm", response=OwnReportDetailOut, tags=["reports"])
def report_confirm(request: HttpRequest, pk: int) -> dict[str, Any]:
    report_services.report_confirm(report=_own_report(request, pk), actor=request.user)
    return _report_detail(_own_report(request, pk), own=True)


@router.post("/reports/anonymous", response={201: FiledOut}, auth=None, tags=["reports"])
def report_file_anonymously(request: HttpRequest, data: AnonymousReportIn) -> Status[Any]:
    """File without an account: the answer carries the follow-up code, given this once."""
    filed = report_services.report_submit(
        kind=data.kind,
        topic=data.topic,
        office=_destination(data.office),
        subject=data.subject,
        body=data.body,
        privacy="anonymous",
        about_staff=data.about_staff,
        actor=AnonymousUser(),
        client=client_ip(request),
        channel="api",
    )
    return Status(201, {**_report_detail(filed.report, own=False), "code": filed.code})


@router.post("/reports/follow", response=ReportDetailOut, auth=None, tags=["reports"])
def report_follow(request: HttpRequest, data: CodeIn) -> dict[str, Any]:
    """An anonymous report by its follow-up code (tries per address are limited)."""
    return _report_detail(_by_code(request, data.code), own=False)


@router.post("/reports/follow/messages", response={201: ReportDetailOut}, auth=None, tags=["reports"])
def report_follow_message(request: HttpRequest, data: CodeMessageIn) -> Status[Any]:
    report = _by_code(request, data.code)
    report_services.report_reply(
        report=report, actor=AnonymousUser(), code=data.code, body=data.body, seen_message_id=data.seen
    )
    report.refresh_from_db()
    return Status(201, _report_detail(report, own=False))


@router.post("/reports/follow/confirm", response=ReportDetailOut, auth=None, tags=["reports"])
def report_follow_confirm(request: HttpRequest, data: CodeIn) -> dict[str, Any]:
    report = _by_code(request, data.code)
    report = report_services.report_confirm(report=report, actor=AnonymousUser(), code=data.code)
    return _report_detail(report, own=False)
