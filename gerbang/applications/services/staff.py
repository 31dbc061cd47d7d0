"""The officers' work on a case besides the table's moves: claiming and assigning it, verifying
its documents, asking for corrections, and the audit of every read of personal data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications.models import Application, Correction, CorrectionTarget, Document, DocumentStatus
from gerbang.applications.selectors.case import spec_of
from gerbang.applications.services.moves import _locked, _move, _staff, _touch
from gerbang.applications.slots import document_slots
from gerbang.applications.workflow import Action, State
from gerbang.core import events
from gerbang.core.exceptions import Conflict, ValidationError


@transaction.atomic
def application_claim(*, application: Application, actor: User, expected_version: int) -> Application:
    _staff(application, actor)
    application = _locked(application, expected_version)
    if application.assigned_to_id not in (None, actor.pk):
        raise Conflict(_("Another officer already works on this application."))
    return _assign(application, actor, by=actor)


@transaction.atomic
def application_assign(
    *, application: Application, assignee: User | None, actor: User, expected_version: int
) -> Application:
    require_permission(actor, Perm.CASE_ASSIGN, office_id=application.office_id)
    application = _locked(application, expected_version)
    if assignee is not None and not has_permission(assignee, Perm.CASE_WORK, office_id=application.office_id):
        raise ValidationError(_("Choose an officer of this office."), field="assignee")
    return _assign(application, assignee, by=actor)


def _assign(application: Application, assignee: User | None, *, by: User) -> Application:
    if application.is_final:
        raise Conflict(_("This application is closed."))
    _touch(application, assigned_to=assignee)
    events.record(
        "application.assigned",
        actor=by,
        subject=application,
        office_id=application.office_id,
        details={"assignee": assignee.pk if assignee else None, "public": False},
    )
    return application


@transaction.atomic
def document_verify(*, document: Document, actor: User, expected_version: int) -> Document:
    application = document.application
    _staff(application, actor)
    application = _locked(application, expected_version)
    if application.state != State.IN_VERIFICATION:
        raise Conflict(_("Documents are verified while the application is being verified."))
    document = application.documents.get(pk=document.pk, is_current=True)
    document.status = DocumentStatus.VERIFIED
    document.verified_at = timezone.now()
    document.verified_by = actor
    document.save(update_fields=["status", "verified_at", "verified_by"])
    _touch(application)
    events.record(
        "application.document_verified",
        actor=actor,
        subject=application,
        office_id=application.office_id,
        details={"slot": document.slot, "document": document.pk, "public": False},
    )
    return document


@dataclass(frozen=True)
class CorrectionItem:
    target_kind: str
    target: str
    message: str


@transaction.atomic
def corrections_request(
    *, application: Application, items: Sequence[CorrectionItem], actor: User, expected_version: int
) -> Application:
    _staff(application, actor)
    application = _locked(application, expected_version)
    if application.state != State.IN_VERIFICATION:
        raise Conflict(_("Corrections are requested while the application is being verified."))
    if not items:
        raise ValidationError(_("Name at least one document or answer to correct."), field="items")
    slots = {s.key for s in document_slots(application)}
    fields = set(spec_of(application).field_map())
    for item in items:
        valid = slots if item.target_kind == CorrectionTarget.DOCUMENT else fields
        if item.target_kind not in CorrectionTarget.values or item.target not in valid:
            raise ValidationError(
                _("Unknown document or answer: %(name)s.") % {"name": item.target}, field="items"
            )
        if not item.message.strip():
            raise ValidationError(
                _("Say what to fix for each item; the applicant reads it."), field=f"message_{item.target}"
            )
    for item in items:
        Correction.objects.create(
            application=application,
            target_kind=item.target_kind,
            target=item.target,
            message=item.message.strip(),
            requested_by=actor,
        )
        if item.target_kind == CorrectionTarget.DOCUMENT:
            application.documents.filter(slot=item.target, is_current=True).update(
                status=DocumentStatus.NEEDS_CORRECTION
            )
    return _move(
        application,
        Action.REQUEST_CORRECTION,
        actor=actor,
        details={"items": [{"kind": i.target_kind, "target": i.target} for i in items]},
    )


@transaction.atomic
def staff_read_record(
    *, application: Application, actor: User, what: str, document: Document | None = None
) -> None:
    """Every staff read of an applicant's personal data leaves a trace in the audit log."""
    require_permission(actor, Perm.CASE_VIEW, office_id=application.office_id)
    events.record(
        f"application.{what}_viewed",
        actor=actor,
        subject=application,
        office_id=application.office_id,
        details={"document": document.pk if document else None, "slot": document.slot if document else None},
    )
