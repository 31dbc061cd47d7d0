"""The applicant's draft: starting it, its answers and its documents (and, when the officer asks
for corrections, only what they named)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.selectors import why_cannot_apply
from gerbang.applications import checks
from gerbang.applications.answers import Checked, check_answers
from gerbang.applications.blind_indexes import subject_nik_index
from gerbang.applications.documents import InspectedFile, hash_bands, inspect_upload
from gerbang.applications.formspec import CHILD_ONLY_SERVICES, form_for
from gerbang.applications.models import Application, Correction, CorrectionTarget, Document
from gerbang.applications.selectors.case import office_today, on_behalf, spec_of
from gerbang.applications.services.moves import _locked, _owned, _touch
from gerbang.applications.slots import Slot, document_slots
from gerbang.applications.workflow import State
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office, Service
from gerbang.core import events, idempotency
from gerbang.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from gerbang.core.ratelimit import Limit, enforce

# An applicant may keep this many drafts at once (a parent with several children included).
MAX_OPEN_DRAFTS = 20
# Idempotency scope of an upload (core.idempotency): a form sent twice stores one document.
UPLOAD_SCOPE = "applications.document_upload"


# Longest text kept for one answer, whatever the field; longer input is cut, not refused.
MAX_ANSWER_LENGTH = 1000


@transaction.atomic
def application_start(
    *, applicant: User, service: Service, office: Office, for_child: bool, assisted_by: User | None = None
) -> Application:
    """Start a draft for ``applicant``; ``assisted_by`` is the officer opening it for them at
    the office (``services.assisted``, which checks the officer and records the consent), who
    is then the event's actor."""
    problem = why_cannot_apply(applicant, assisted=assisted_by is not None)
    if problem:
        raise PermissionDenied(problem)
    link = office.office_services.filter(service=service).first()
    if not (service.is_active and office.is_active and link is not None):
        raise ValidationError(
            _("This office does not offer this service; choose another office."), field="office"
        )
    if not link.is_offered():
        raise ValidationError(
            _("This office cannot take applications for this service right now: %(reason)s")
            % {"reason": link.why_not or _("temporarily unavailable")},
            field="office",
        )
    if catalog.terms_in_force(service, catalog.office_today(office)) is None:
        raise ValidationError(_("This service has no fee in force yet; it cannot be applied for."))
    drafts = Application.objects.filter(applicant=applicant, state=State.DRAFT).count()
    if drafts >= MAX_OPEN_DRAFTS:
        raise ValidationError(
            _("You have %(count)s unfinished applications. Finish or cancel some before starting another.")
            % {"count": drafts}
        )
    spec = form_for(service.code, service.audience)
    application = Application.objects.create(
        applicant=applicant,
        office=office,
        service=service,
        form_key=spec.key,
        for_child=for_child or service.code in CHILD_ONLY_SERVICES,
        current_step=spec.steps[0].slug,
        answers=_prefill(applicant, for_child=for_child),
    )
    events.record(
        "application.created",
        actor=assisted_by or applicant,
        subject=application,
        office_id=office.pk,
        details={
            "service": service.code,
            "for_child": application.for_child,
            "public": True,
            "to": State.DRAFT,
            **({"on_behalf": True} if assisted_by is not None else {}),
        },
    )
    return application


def _prefill(applicant: User, *, for_child: bool) -> dict[str, str]:
    """Start from what the account already knows; a child's own data is typed fresh."""
    answers = {"phone": applicant.phone or ""}
    if not for_child:
        answers.update(
            {
                "full_name": applicant.full_name,
                "sex": applicant.sex,
                "nik": applicant.nik or "",
                "date_of_birth": applicant.date_of_birth.strftime("%d/%m/%Y")
                if applicant.date_of_birth
                else "",
                "nationality": str(applicant.nationality or ""),
            }
        )
    return {key: value for key, value in answers.items() if value}


def _open_corrections(application: Application, kind: CorrectionTarget) -> dict[str, Correction]:
    return {c.target: c for c in application.corrections.filter(target_kind=kind, resolved_at__isnull=True)}


@transaction.atomic
def application_save_answers(
    *, application: Application, values: Mapping[str, Any], actor: User, step: str | None = None
) -> Checked:
    """Keep what the applicant typed (valid or not) and say what to fix in it.

    In a draft any field may change (``step`` limits the change to one step's fields); when
    corrections were asked for, only the fields named in them.
    """
    _owned(application, actor)
    application = _locked(application, None)
    spec = spec_of(application)
    known = spec.field_map()
    if step is not None:
        step_spec = spec.step(step)
        if step_spec is None:
            raise NotFound()
        allowed = {f.name for f in step_spec.fields}
    else:
        allowed = set(known)
    corrections: dict[str, Correction] = {}
    if application.state == State.CORRECTION_REQUESTED:
        corrections = _open_corrections(application, CorrectionTarget.FIELD)
        allowed &= set(corrections)
    elif application.state != State.DRAFT:
        raise Conflict(_("This application was submitted; its answers can no longer be changed."))
    unknown = [name for name in values if name not in known]
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.") % {"name": unknown[0]}, field=unknown[0])
    answers = dict(application.answers)
    changed: list[str] = []
    for name, value in values.items():
        text = str(value if value is not None else "")[:MAX_ANSWER_LENGTH]
        if name not in allowed:
            if text.strip() != str(answers.get(name, "")).strip():
                raise ValidationError(
                    _("Only the answers the officer asked about can be changed now."), field=name
                )
            continue
        if text != answers.get(name, ""):
            answers[name] = text
            changed.append(name)
    nik_index = subject_nik_index(answers)
    now = timezone.now()
    for name in changed:
        if name in corrections:
            corrections[name].addressed_at = now
            corrections[name].save(update_fields=["addressed_at"])
    behalf = on_behalf(application, actor)
    if behalf and (changed or step):
        # Each step an officer enters for the person is recorded with the officer as its actor
        # (the names of the fields, never their values).
        events.record(
            "application.assisted_step_saved",
            actor=actor,
            subject=application,
            office_id=application.office_id,
            details={"step": step or "", "fields": changed, **behalf},
        )
    if changed or (step and step != application.current_step):
        _touch(
            application,
            answers=answers,
            current_step=step or application.current_step,
            subject_nik_index=nik_index,
        )
        if corrections and changed:
            events.record(
                "application.answers_corrected",
                actor=actor,
                subject=application,
                office_id=application.office_id,
                details={"fields": changed, "public": True},
            )
    checked = check_answers(
        spec, answers, today=office_today(application), for_child=application.for_child, only=allowed
    )
    return checked


def _upload_target(application: Application, slot: str) -> tuple[Slot, Correction | None]:
    """The slot an upload goes to, and the correction it answers; or why it may not."""
    slots = {s.key: s for s in document_slots(application)}
    if slot not in slots:
        raise ValidationError(_("This application does not ask for this document."), field=slot)
    correction: Correction | None = None
    if application.state == State.CORRECTION_REQUESTED:
        correction = _open_corrections(application, CorrectionTarget.DOCUMENT).get(slot)
        if correction is None:
            raise ValidationError(
                _("Only the documents the officer asked about can be replaced now."), field=slot
            )
    elif application.state != State.DRAFT:
        raise Conflict(_("This application was submitted; its documents can no longer be changed."))
    return slots[slot], correction


def _uploads_per_account() -> Limit:
    return Limit("upload-account", settings.UPLOADS_PER_ACCOUNT, 10 * 60)


def _uploads_per_address() -> Limit:
    return Limit("upload-address", settings.UPLOADS_PER_ADDRESS, 10 * 60)


def _throttle_uploads(actor: User, client: str | None) -> None:
    hits: list[tuple[Limit, str]] = [(_uploads_per_account(), str(actor.pk))]
    if client:
        hits.append((_uploads_per_address(), client))
    enforce(
        *hits, message=_("You have sent many files in a short time. Wait a few minutes, then upload again.")
    )


def document_upload(
    *,
    application: Application,
    slot: str,
    upload: IO[bytes],
    file_name: str,
    actor: User,
    client: str | None = None,
    idempotency_key: str | None = None,
) -> Document:
    """Check an upload and keep it in its slot. ``client`` is the sender's network address
    (pages and the API give it): uploads are counted per account and per address. The same
    ``idempotency_key`` again (the form sent twice: queued offline, say) gives the first
    document, stored once.

    The file is read, checked and re-encoded before the application's row is locked: that work
    (bounded by ``core.heavy``) never holds a lock or a transaction open."""
    _owned(application, actor)
    owner = idempotency.owner_of(actor)
    stored = idempotency.first_result(owner=owner, scope=UPLOAD_SCOPE, key=idempotency_key)
    if stored is not None:
        return _uploaded(application, slot, stored)
    target, _correction = _upload_target(application, slot)  # refused before the file is read
    _throttle_uploads(actor, client)
    inspected = inspect_upload(upload, field=slot, images_only=target.images_only)
    return idempotency.run_once(
        owner=owner,
        scope=UPLOAD_SCOPE,
        key=idempotency_key,
        write=lambda: _document_store(
            application=application, slot=slot, inspected=inspected, file_name=file_name, actor=actor
        ),
        load=lambda pk: _uploaded(application, slot, pk),
    )


def _uploaded(application: Application, slot: str, document_id: int) -> Document:
    """The document a first upload stored; if a later upload of a draft replaced it since,
    the slot's current one."""
    document = (
        application.documents.filter(pk=document_id).first()
        or application.documents.filter(slot=slot, is_current=True).first()
    )
    if document is None:
        raise NotFound(_("This document is no longer kept."))
    return document


@transaction.atomic
def _document_store(
    *, application: Application, slot: str, inspected: InspectedFile, file_name: str, actor: User
) -> Document:
    application = _locked(application, None)
    # Checked again under the lock: the case may have moved while the file was checked.
    target, correction = _upload_target(application, slot)
    previous = application.documents.filter(slot=slot, is_current=True).first()
    if previous is not None:
        if application.state == State.DRAFT:
            stale_file = previous.file.name or ""
            storage = previous.file.storage
            previous.delete()
            transaction.on_commit(lambda: storage.delete(stale_file))
        else:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
    bands = hash_bands(inspected.image_hash)
    document = Document(
        application=application,
        slot=slot,
        requirement=target.requirement,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        image_hash=inspected.image_hash,
        hash_band_0=bands[0],
        hash_band_1=bands[1],
        hash_band_2=bands[2],
        hash_band_3=bands[3],
        width=inspected.width,
        height=inspected.height,
        pages=inspected.pages,
        original_name=(file_name or "")[:150],
        uploaded_by=actor,
    )
    document.file.save(inspected.content.name or "document", inspected.content, save=False)
    saved_name = document.file.name
    try:
        document.save()
    except Exception:
        document.file.storage.delete(saved_name or "")
        raise
    if slot == "photo":
        checks.check_photo(document)
    if correction is not None:
        correction.addressed_at = timezone.now()
        correction.save(update_fields=["addressed_at"])
    _touch(application)
    events.record(
        "application.document_uploaded",
        actor=actor,
        subject=application,
        office_id=application.office_id,
        details={
            "slot": slot,
            "document": document.pk,
            "public": correction is not None,
            **on_behalf(application, actor),
        },
    )
    return document


@transaction.atomic
def document_remove(*, application: Application, slot: str, actor: User) -> None:
    _owned(application, actor)
    application = _locked(application, None)
    if application.state != State.DRAFT:
        raise Conflict(_("This application was submitted; its documents can no longer be changed."))
    document = application.documents.filter(slot=slot, is_current=True).first()
    if document is None:
        raise NotFound()
    name, storage = document.file.name or "", document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
    _touch(application)
