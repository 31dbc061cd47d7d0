"""Consultations as JSON for the signed-in asker: the same services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import django_auth

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.applications import selectors as applications
from gerbang.catalog.models import Office
from gerbang.core.exceptions import NotFound, ValidationError
from gerbang.feedback import selectors, services
from gerbang.feedback.models import Consultation

router = Router(tags=["consultations"], auth=django_auth)


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
        "messages": [
            {"id": m.pk, "from_office": m.from_office, "body": m.body, "created_at": m.created_at}
            for m in selectors.messages_of(consultation)
        ],
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
        found = Office.objects.filter(code=data.office or "", is_active=True).first()
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
