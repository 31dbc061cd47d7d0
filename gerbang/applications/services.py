"""Every change to an application. Each public function is one transaction (DESIGN convention 1):
the change, its event (timeline and audit) and its outbox rows are stored together or not at all.

Changes by staff carry the version of the case they saw: if somebody else changed it since,
``Conflict`` is raised and nothing is written (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.accounts.selectors import why_cannot_apply
from gerbang.applications import checks, numbers
from gerbang.applications.answers import Checked, check_answers
from gerbang.applications.documents import InspectedFile, hash_bands, inspect_upload
from gerbang.applications.events import CaseMoved
from gerbang.applications.formspec import CHILD_ONLY_SERVICES, form_for
from gerbang.applications.models import (
    Application,
    Correction,
    CorrectionTarget,
    Document,
    DocumentStatus,
)
from gerbang.applications.selectors.case import (
    actor_of,
    office_today,
    spec_of,
    submission_terms,
    submit_problems,
)
from gerbang.applications.selectors.tracking import tracking_key
from gerbang.applications.slots import Slot, document_slots
from gerbang.applications.workflow import (
    BY_ACTION,
    REASON_CODE_MISSING,
    REASON_MISSING,
    Action,
    Actor,
    RejectionReason,
    State,
)
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office, Service
from gerbang.core import events
from gerbang.core.crypto import blind_index
from gerbang.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from gerbang.core.ratelimit import Limit, enforce
from gerbang.core.storage import private_storage
from gerbang.core.validators import normalize_nik

# An applicant may keep this many drafts at once (a parent with several children included).
MAX_OPEN_DRAFTS = 20
# Longest text kept for one answer, whatever the field; longer input is cut, not refused.
MAX_ANSWER_LENGTH = 1000


# --- The one way a case changes state ---------------------------------------------------------


def _locked(application: Application, expected_version: int | None) -> Application:
    """The current row, locked for this transaction; Conflict if it changed since it was read."""
    fresh = Application.objects.select_for_update().select_related("office", "service").get(pk=application.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            _(
                "Somebody else changed this application a moment ago (it is now “%(state)s”). "
                "Nothing was changed; check the current state below and try again if still needed."
            )
            % {"state": fresh.state_label},
            code="stale_version",
        )
    return fresh


def _touch(application: Application, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(application, name, value)
    application.version += 1
    application.save()


def _move(
    application: Application,
    action: Action,
    *,
    user: Any,
    reason_code: str = "",
    reason: str = "",
    details: Mapping[str, Any] | None = None,
    **changes: Any,
) -> Application:
    """Take one transition of the table on a locked row: its state and timeline event, and
    ``CaseMoved`` for the apps that act on it (``workflow`` says which), in one transaction."""
    transition = BY_ACTION[action]
    actor = actor_of(application, user)
    if actor is None or actor not in transition.actors:
        raise PermissionDenied(_("You may not do this on this application."))
    if application.state not in transition.sources:
        raise Conflict(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.state_label},
            code="wrong_state",
        )
    if transition.needs_reason_code and reason_code not in RejectionReason.values:
        raise ValidationError(REASON_CODE_MISSING, field="reason_code")
    if transition.needs_reason and not reason.strip():
        raise ValidationError(REASON_MISSING, field="reason")
    if transition.guard is not None:
        problem = transition.guard(application)
        if problem:
            raise ValidationError(problem, code="guard")
    previous = application.state
    now = timezone.now()
    _touch(application, state=transition.target, state_changed_at=now, **changes)
    events.record(
        f"application.{action}",
        actor=user,
        subject=application,
        office_id=application.office_id,
        details={
            "from": previous,
            "to": transition.target.value,
            "reason_code": reason_code,
            "reason": reason.strip(),
            "public": True,
            **(details or {}),
        },
    )
    events.publish(
        CaseMoved(
            application=application,
            transition=transition,
            previous=State(previous),
            actor=user,
            at=now,
            reason_code=reason_code,
        )
    )
    return application


# --- Applying ---------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, applicant: Any, service: Service, office: Office, for_child: bool) -> Application:
    problem = why_cannot_apply(applicant)
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
        actor=applicant,
        subject=application,
        office_id=office.pk,
        details={
            "service": service.code,
            "for_child": application.for_child,
            "public": True,
            "to": State.DRAFT,
        },
    )
    return application


def _prefill(applicant: Any, *, for_child: bool) -> dict[str, str]:
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


def _owned(application: Application, user: Any) -> None:
    if actor_of(application, user) != Actor.APPLICANT:
        raise NotFound()


def _open_corrections(application: Application, kind: CorrectionTarget) -> dict[str, Correction]:
    return {c.target: c for c in application.corrections.filter(target_kind=kind, resolved_at__isnull=True)}


@transaction.atomic
def application_save_answers(
    *, application: Application, values: Mapping[str, Any], actor: Any, step: str | None = None
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
    nik = normalize_nik(str(answers.get("nik", "")))
    nik_index = blind_index(nik, purpose="nik") if len(nik) == 16 and nik.isdigit() else ""
    now = timezone.now()
    for name in changed:
        if name in corrections:
            corrections[name].addressed_at = now
            corrections[name].save(update_fields=["addressed_at"])
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


def _throttle_uploads(actor: Any, client: str | None) -> None:
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
    actor: Any,
    client: str | None = None,
) -> Document:
    """Check an upload and keep it in its slot. ``client`` is the sender's network address
    (pages and the API give it): uploads are counted per account and per address.

    The file is read, checked and re-encoded before the application's row is locked: that work
    (bounded by ``core.heavy``) never holds a lock or a transaction open."""
    _owned(application, actor)
    target, _correction = _upload_target(application, slot)  # refused before the file is read
    _throttle_uploads(actor, client)
    inspected = inspect_upload(upload, field=slot, images_only=target.images_only)
    return _document_store(
        application=application, slot=slot, inspected=inspected, file_name=file_name, actor=actor
    )


@transaction.atomic
def _document_store(
    *, application: Application, slot: str, inspected: InspectedFile, file_name: str, actor: Any
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
        details={"slot": slot, "document": document.pk, "public": correction is not None},
    )
    return document


@transaction.atomic
def document_remove(*, application: Application, slot: str, actor: Any) -> None:
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


@transaction.atomic
def application_submit(*, application: Application, declaration: bool, actor: Any) -> Application:
    _owned(application, actor)
    application = _locked(application, None)
    if application.state != State.DRAFT:
        raise Conflict(_("This application was already submitted."))
    problems = submit_problems(application)
    if problems.answers:
        raise ValidationError(
            _("Some answers need fixing first (%(count)s); they are marked in the steps.")
            % {"count": len(problems.answers)},
            field="answers",
        )
    if problems.missing_documents:
        raise ValidationError(
            _("Upload these documents first: %(names)s.") % {"names": "; ".join(problems.missing_documents)},
            field="documents",
        )
    if problems.failed_checks:
        raise ValidationError(" ".join(problems.failed_checks), field="documents")
    if not declaration:
        raise ValidationError(
            _("Confirm the declaration that the data and documents are true and complete."),
            field="declaration",
        )
    link = application.office.office_services.filter(service=application.service).first()
    if link is None or not link.is_offered():
        raise ValidationError(
            _("This office stopped taking applications for this service; the draft is kept.")
            + (f" {link.why_not}" if link is not None and link.why_not else ""),
            field="office",
        )
    now = timezone.now()
    terms = submission_terms(application)
    if terms is None:
        raise ValidationError(_("This service has no fee in force; it cannot be applied for now."))
    number = numbers.new_number(office_code=application.office.code, year=now.year)
    checked = problems.checked
    born: date = checked.values["date_of_birth"]
    application = _move(
        application,
        Action.SUBMIT,
        user=actor,
        number=number,
        tracking_key=tracking_key(number, born),
        terms=terms,
        fee=terms.fee,
        submitted_at=now,
        declared_at=now,
    )
    if "mrz" in checked.values:
        checks.record_mrz_passed(application)
    checks.check_duplicates(application)
    due = now + timedelta(hours=terms.payment_deadline_hours)
    return _move(application, Action.ISSUE_BILL, user=None, payment_due_at=due, details={"amount": terms.fee})


@transaction.atomic
def application_cancel(*, application: Application, actor: Any) -> Application:
    _owned(application, actor)
    application = _locked(application, None)
    return _move(application, Action.CANCEL, user=actor)


@transaction.atomic
def application_resubmit(*, application: Application, actor: Any) -> Application:
    _owned(application, actor)
    application = _locked(application, None)
    if application.state != State.CORRECTION_REQUESTED:
        raise Conflict(_("No corrections are waiting on this application."))
    errors = check_answers(
        spec_of(application),
        application.answers,
        today=office_today(application),
        for_child=application.for_child,
    ).errors
    if errors:
        raise ValidationError(_("Some answers need fixing first; they are marked."), field="answers")
    now = timezone.now()
    addressed = list(application.corrections.filter(resolved_at__isnull=True))
    application = _move(application, Action.RESUBMIT, user=actor, details={"corrections": len(addressed)})
    application.corrections.filter(resolved_at__isnull=True).update(resolved_at=now)
    application.documents.filter(is_current=True, status=DocumentStatus.NEEDS_CORRECTION).update(
        status=DocumentStatus.PENDING
    )
    checks.check_duplicates(application)
    return application


# --- Staff ------------------------------------------------------------------------------------


def _staff(application: Application, user: Any) -> None:
    require_permission(user, Perm.CASE_WORK, office_id=application.office_id)


@transaction.atomic
def application_transition(
    *,
    application: Application,
    action: Action | str,
    actor: Any,
    expected_version: int,
    reason_code: str = "",
    reason: str = "",
) -> Application:
    """A staff action that is only a move in the table (verification start, interview, decision…)."""
    _staff(application, actor)
    application = _locked(application, expected_version)
    action = Action(action)
    changes: dict[str, Any] = {}
    if action in {Action.REJECT, Action.APPROVE}:
        changes["decided_at"] = timezone.now()
    elif action == Action.REVERSE_DECISION:
        changes["decided_at"] = None
    elif action == Action.START_VERIFICATION and application.assigned_to_id is None:
        changes["assigned_to"] = actor
    if BY_ACTION[action].own_service:
        raise PermissionDenied(_("You may not do this on this application."))
    return _move(application, action, user=actor, reason_code=reason_code, reason=reason, **changes)


def _due_after_payment(application: Application, paid_at: datetime) -> date:
    """The decision is due the service standard's working days after the fee was paid."""
    return catalog.due_date(
        office=application.office,
        standard_working_days=application.terms.standard_working_days if application.terms else 0,
        received_at=paid_at,
    )


def application_lock(*, application: Application, expected_version: int | None) -> Application:
    """The case's current row, locked for the caller's transaction (the first lock of the lock
    order); Conflict when it changed since ``expected_version`` was read."""
    return _locked(application, expected_version)


@transaction.atomic
def application_paid(
    *, application: Application, paid_at: datetime, details: dict[str, Any], actor: Any
) -> Application:
    """The fee was paid (payments recorded it: the provider confirmed it, or staff recorded a
    bank-counter receipt, then ``actor`` is that officer): the case moves on, its decision due
    the service standard's working days after ``paid_at``."""
    if actor is not None:
        _staff(application, actor)
    application = _locked(application, None)
    return _move(
        application,
        Action.RECORD_PAYMENT,
        user=actor,
        due_date=_due_after_payment(application, paid_at),
        details=details,
    )


@transaction.atomic
def bill_reissue(*, application: Application, actor: Any) -> Application:
    """A new bill for an application that expired unpaid (the fee version stays the one in
    force at submission)."""
    _owned(application, actor)
    application = _locked(application, None)
    terms = application.terms
    hours = terms.payment_deadline_hours if terms else 2
    due = timezone.now() + timedelta(hours=hours)
    return _move(application, Action.REISSUE_BILL, user=actor, payment_due_at=due)


@transaction.atomic
def application_claim(*, application: Application, actor: Any, expected_version: int) -> Application:
    _staff(application, actor)
    application = _locked(application, expected_version)
    if application.assigned_to_id not in (None, actor.pk):
        raise Conflict(_("Another officer already works on this application."))
    return _assign(application, actor, by=actor)


@transaction.atomic
def application_assign(
    *, application: Application, assignee: Any, actor: Any, expected_version: int
) -> Application:
    require_permission(actor, Perm.CASE_ASSIGN, office_id=application.office_id)
    application = _locked(application, expected_version)
    if assignee is not None and not has_permission(assignee, Perm.CASE_WORK, office_id=application.office_id):
        raise ValidationError(_("Choose an officer of this office."), field="assignee")
    return _assign(application, assignee, by=actor)


def _assign(application: Application, assignee: Any, *, by: Any) -> Application:
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
def document_verify(*, document: Document, actor: Any, expected_version: int) -> Document:
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
    *, application: Application, items: Sequence[CorrectionItem], actor: Any, expected_version: int
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
        user=actor,
        details={"items": [{"kind": i.target_kind, "target": i.target} for i in items]},
    )


@transaction.atomic
def staff_read_record(
    *, application: Application, actor: Any, what: str, document: Document | None = None
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


def expire_unpaid(*, now: datetime | None = None) -> int:
    """Expire applications whose payment deadline passed; each in its own transaction."""
    moment = now or timezone.now()
    expired = 0
    due = Application.objects.filter(state=State.AWAITING_PAYMENT, payment_due_at__lt=moment)
    for application in due.only("pk", "version"):
        try:
            with transaction.atomic():
                fresh = _locked(application, application.version)
                _move(fresh, Action.EXPIRE, user=None)
                expired += 1
        except (Conflict, ValidationError):
            continue
    return expired


def orphan_documents_remove(*, older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete stored files that no document refers to (an upload whose transaction rolled back
    after the file was written); recent files are left alone, their transaction may be open."""
    storage = private_storage()
    known = set(Document.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0
    stack = ["documents"]
    while stack:
        folder = stack.pop()
        if not storage.exists(folder):
            continue
        folders, files = storage.listdir(folder)
        stack += [f"{folder}/{name}" for name in folders]
        for name in files:
            path = f"{folder}/{name}"
            if path not in known and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
    return removed
