"""Every write of the face checks (DESIGN convention 1): one transaction each, an event each.

A check reads pictures and computes embeddings first (CPU work, bounded by ``core.heavy``), then
writes the check, the references it read for the first time and its event in one short
transaction: no lock is held while a face is read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.applications.models import Application
from gerbang.biometrics import engine, liveness, pictures, selectors
from gerbang.biometrics.models import (
    Decision,
    FaceCheck,
    FaceReference,
    Finger,
    FingerprintCapture,
    LivenessCheck,
    Outcome,
    ReferenceRole,
    Source,
)
from gerbang.biometrics.selectors import Reference
from gerbang.biometrics.thresholds import face_threshold
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ApplicationError, Conflict, ErrorCode, ValidationError
from gerbang.core.heavy import heavy_work


class FaceCheckUnavailable(ApplicationError):
    status_code = 503
    default_message = _(
        "Face verification is not available on this server (the biometric extra is not installed). "
        "Compare the applicant's face with the photo yourself."
    )


class NoReference(ApplicationError):
    default_message = _(
        "This application has no picture of the applicant's face to compare with (no photo, and "
        "no previous passport uploaded as a picture or a scan)."
    )


# What a live picture's finding makes of the whole check when it shows no usable face.
_OUTCOME_OF_FINDING = {
    engine.Finding.NO_FACE: Outcome.NO_FACE,
    engine.Finding.SEVERAL_FACES: Outcome.SEVERAL_FACES,
}


@dataclass(frozen=True)
class _Read:
    reference: Reference
    stored: FaceReference | None  # read before
    reading: engine.FaceReading | None  # read now


def _require_at_counter(application: Application, actor: User | None = None) -> None:
    """An officer of the case's office (when ``actor`` is given), while the case waits for its
    interview and biometrics."""
    if actor is not None:
        require_permission(actor, Perm.BIOMETRICS_VERIFY, office_id=application.office_id)
    if not selectors.at_counter(application):
        raise ApplicationError(
            _("A face is checked only while the case waits for its interview and biometrics."),
            code=ErrorCode.WRONG_STATE,
        )


def _record(
    code: str, *, subject: Model, application: Application, actor: User, note: str = "", **details: Any
) -> None:
    """The event of a change about a case's biometrics: at the case's office, naming the case;
    the details never hold a picture, an embedding or a reference."""
    events.record(
        code,
        actor=actor,
        subject=subject,
        office_id=application.office_id,
        details={"application": application.pk, **details},
        note=note,
    )


@contextmanager
def _reading_faces() -> Iterator[None]:
    """Faces are read one at a time per process (``core.heavy``: a request waits its turn or is
    told to try again); a missing extra is said, never guessed around."""
    try:
        with heavy_work():
            yield
    except engine.EngineUnavailable:
        raise FaceCheckUnavailable() from None


def _read_reference(reference: Reference) -> _Read:
    stored = FaceReference.objects.filter(document=reference.document).first()
    if stored is not None and stored.model == engine.model_name():
        return _Read(reference, stored, None)
    picture = pictures.reference_picture(reference.document)
    reading = (
        engine.read_face(picture) if picture is not None else engine.FaceReading(engine.Finding.NO_FACE, 0)
    )
    return _Read(reference, None, reading)


def _stored(read: _Read, application: Application) -> FaceReference:
    if read.reading is None:
        if read.stored is None:
            raise RuntimeError("a reference neither read before nor now")
        return read.stored
    reference, _created = FaceReference.objects.update_or_create(
        document=read.reference.document,
        defaults={
            "application": application,
            "role": read.reference.role,
            "finding": read.reading.finding,
            "embedding_text": "",
            "model": engine.model_name(),
            "read_at": timezone.now(),
        },
    )
    if read.reading.embedding is not None:
        reference.set_embedding(read.reading.embedding)
        reference.save(update_fields=["embedding_text"])
    return reference


def _compare(
    live: engine.FaceReading, references: list[FaceReference], threshold: float
) -> tuple[str, float | None, list[dict[str, object]]]:
    """The outcome, the deciding distance (the largest: every reference must match) and each
    comparison."""
    if not live.usable or live.embedding is None:
        return _OUTCOME_OF_FINDING.get(live.finding, Outcome.POOR), None, []
    rows: list[dict[str, object]] = []
    distances = []
    for reference in references:
        row: dict[str, object] = {
            "reference": reference.pk,
            "role": reference.role,
            "finding": reference.finding,
        }
        embedding = reference.embedding
        if embedding is not None:
            gap = round(engine.distance(live.embedding, embedding), 4)
            row |= {"distance": gap, "match": gap <= threshold}
            distances.append(gap)
        rows.append(row)
    if not distances:  # no reference shows a usable face
        return Outcome.POOR, None, rows
    worst = max(distances)
    return (Outcome.MATCH if worst <= threshold else Outcome.NO_MATCH), worst, rows


def face_check_run(*, application: Application, picture: IO[bytes], source: str, actor: User) -> FaceCheck:
    """Compare the picture taken at the counter with the case's references and record what was
    found. The result advises; the officer decides (``face_check_decide``)."""
    _require_at_counter(application, actor)
    if source not in Source.values:
        raise ValidationError(_("Choose how the picture was taken."), field="source")
    references = selectors.references_of(application)
    if not references:
        raise NoReference()
    if not engine.available():
        raise FaceCheckUnavailable()
    live_image = pictures.live_picture(picture)
    threshold = face_threshold()
    with _reading_faces():
        live = engine.read_face(live_image)
        reads = [_read_reference(reference) for reference in references]
    kept = pictures.kept_capture(live_image)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _require_at_counter(application)
        stored = [_stored(read, application) for read in reads]
        outcome, worst, rows = _compare(live, stored, threshold)
        check = FaceCheck(
            application=application,
            checked_by=actor,
            source=source,
            outcome=outcome,
            finding=live.finding,
            distance=worst,
            threshold=threshold,
            comparisons=rows,
            capture=kept,
        )
        check.set_embedding(live.embedding)
        check.save(force_insert=True)
        _record(
            "biometric.face_checked",
            subject=check,
            application=application,
            actor=actor,
            outcome=outcome,
            finding=live.finding,
            distance=worst,
            threshold=threshold,
            source=source,
            model=engine.model_name(),
            comparisons=[
                {key: row.get(key) for key in ("role", "finding", "distance", "match")} for row in rows
            ],
        )
    return check


@transaction.atomic
def face_check_decide(*, check: FaceCheck, decision: str, note: str = "", actor: User) -> FaceCheck:
    """The officer's own decision on a check: the person at the counter is the applicant, or not
    (or they cannot tell). Recorded once; a new check may follow."""
    require_permission(actor, Perm.BIOMETRICS_VERIFY, office_id=check.application.office_id)
    if decision not in Decision.values:
        raise ValidationError(_("Choose your decision."), field="decision")
    if decision == Decision.NOT_CONFIRMED and not note.strip():
        raise ValidationError(
            _("Say what you saw: why the identity is not confirmed, and what you will do next."), field="note"
        )
    check = FaceCheck.objects.select_for_update().select_related("application").get(pk=check.pk)
    if check.decision:
        raise Conflict(_("A decision on this check is already recorded. Make a new check to decide again."))
    check.decision = decision
    check.decided_by = actor
    check.decided_at = timezone.now()
    check.save(update_fields=["decision", "decided_by", "decided_at"])
    _record(
        "biometric.face_check_decided",
        subject=check,
        application=check.application,
        actor=actor,
        note=note,
        decision=decision,
        outcome=check.outcome,
    )
    return check


def biometrics_read_record(*, application: Application, subject: Model, what: str, actor: User) -> None:
    """Every staff read of biometric data (the counter page with the references, a check, its
    live picture) is an event (``core.staff_reads``: codes ending ``_viewed``)."""
    require_permission(actor, Perm.BIOMETRICS_VERIFY, office_id=application.office_id)
    _record(f"biometric.{what}_viewed", subject=subject, application=application, actor=actor)


def _erase_captures(checks: list[FaceCheck], *, why: str, actor: SystemActor) -> int:
    if not checks:
        return 0
    now = timezone.now()
    with transaction.atomic():
        erased = FaceCheck.objects.filter(
            pk__in=[c.pk for c in checks], capture_erased_at__isnull=True
        ).update(capture="", embedding_text="", capture_erased_at=now)
        events.record_many(
            "biometric.capture_erased",
            actor=actor,
            subjects=[(check, check.application.office_id) for check in checks],
            details={"why": why},
        )
    return int(erased)


def captures_due(now: datetime) -> list[FaceCheck]:
    cutoff = now - timedelta(days=int(settings.BIOMETRIC_RETENTION_DAYS))
    return list(
        FaceCheck.objects.filter(capture_erased_at__isnull=True)
        .filter(Q(checked_at__lt=cutoff) | Q(application__personal_data_erased_at__isnull=False))
        .select_related("application")
    )


def captures_expire(*, now: datetime, actor: SystemActor) -> int:
    """The retention sweep: live pictures and their embeddings older than
    ``BIOMETRIC_RETENTION_DAYS``, or of a case whose personal data was erased, are erased. The
    result of each check stays."""
    return _erase_captures(captures_due(now), why="retention", actor=actor)


def references_due(applicant: User | None = None) -> int:
    captures = FingerprintCapture.objects.filter(application__personal_data_erased_at__isnull=False).exclude(
        reference=""
    )
    if applicant is not None:
        captures = captures.filter(application__applicant=applicant)
    return _references_due(applicant).count() + captures.count()


def _references_due(applicant: User | None) -> QuerySet[FaceReference]:
    rows = FaceReference.objects.filter(application__personal_data_erased_at__isnull=False)
    return rows.filter(application__applicant=applicant) if applicant is not None else rows


@transaction.atomic
def face_data_forget_erased(*, actor: SystemActor, applicant: User | None = None) -> int:
    """After the applications erased a case's personal data: its references' embeddings are
    deleted and its live pictures erased."""
    deleted, _by_model = _references_due(applicant).delete()
    captures = FingerprintCapture.objects.filter(application__personal_data_erased_at__isnull=False).exclude(
        reference=""
    )
    if applicant is not None:
        captures = captures.filter(application__applicant=applicant)
    deleted += captures.update(reference="")
    checks = [
        check
        for check in captures_due(timezone.now())
        if check.application.personal_data_erased_at is not None
        and (applicant is None or check.application.applicant_id == applicant.pk)
    ]
    return int(deleted) + _erase_captures(checks, why="personal_data_erased", actor=actor)


def photos_index(*, application: Application, actor: SystemActor) -> list[FaceReference]:
    """Read the faces of the case's application photos that are not read yet (the worker, when
    the case is scanned for risks): the duplicate-face search compares them with every other
    application's. Without the extra, nothing is read and nothing is indexed."""
    references = [r for r in selectors.references_of(application) if r.role == ReferenceRole.PHOTO]
    if not references or not engine.available():
        return []
    try:
        reads = [_read_reference(reference) for reference in references]
    except engine.EngineUnavailable:
        return []
    with transaction.atomic():
        return [_stored(read, application) for read in reads]


# The quality score the capture software reports (NFIQ 2: 0 unusable, 100 best).
MAX_QUALITY = 100


def fingerprints_record(
    *, application: Application, system: str, reference: str, fingers: dict[str, int], actor: User
) -> FingerprintCapture:
    """Record that the scanner's software took the applicant's fingerprints: which fingers, their
    quality, and the reference of its record. Gerbang keeps no template and matches nothing."""
    _require_at_counter(application, actor)
    system, reference = system.strip(), reference.strip()
    if not system:
        raise ValidationError(_("Name the capture system."), field="system")
    if not reference:
        raise ValidationError(_("Copy the reference the capture system gave the record."), field="reference")
    if not fingers:
        raise ValidationError(_("Give the quality of at least one finger captured."), field="fingers")
    for finger, quality in fingers.items():
        if finger not in Finger.values:
            raise ValidationError(_("Unknown finger position."), field="fingers")
        if not 0 <= int(quality) <= MAX_QUALITY:
            raise ValidationError(_("A quality is a whole number from 0 to 100."), field=f"finger_{finger}")
    with transaction.atomic():
        capture = FingerprintCapture.objects.create(
            application=application,
            captured_by=actor,
            system=system[:100],
            reference=reference[:200],
            fingers={finger: int(quality) for finger, quality in fingers.items()},
        )
        _record(
            "biometric.fingerprints_recorded",
            subject=capture,
            application=application,
            actor=actor,
            system=capture.system,
            fingers=capture.fingers,
            lowest_quality=min(capture.fingers.values()),
        )
    return capture


def liveness_check_run(
    *, application: Application, challenge: str, frames: Sequence[IO[bytes]], actor: User
) -> LivenessCheck:
    """Judge the frames taken while the person answered ``challenge`` (asked by the page, at
    random) and record the result. Advisory: the officer, who sees the person, decides."""
    _require_at_counter(application, actor)
    if challenge not in liveness.Challenge.__members__.values():
        raise ValidationError(
            _("Start a new challenge: this one is unknown or was already answered."), field="frames"
        )
    if not frames:
        raise ValidationError(
            _("Take the frames with the camera, or choose the pictures taken."), field="frames"
        )
    if len(frames) > 2 * liveness.FRAMES:
        raise ValidationError(
            _("Send at most %(count)d pictures.") % {"count": 2 * liveness.FRAMES}, field="frames"
        )
    if not engine.available():
        raise FaceCheckUnavailable()
    images = [pictures.live_picture(frame, field="frames") for frame in frames]
    with _reading_faces():
        readings = [engine.read_face(image) for image in images]
    judgement = liveness.judge(liveness.Challenge(challenge), readings, same_face_within=face_threshold())
    with transaction.atomic():
        check = LivenessCheck.objects.create(
            application=application,
            checked_by=actor,
            challenge=challenge,
            result=judgement.result,
            frames=len(images),
            usable=judgement.usable,
            measures=judgement.measures,
        )
        _record(
            "biometric.liveness_checked",
            subject=check,
            application=application,
            actor=actor,
            challenge=challenge,
            result=judgement.result,
            frames=len(images),
            usable=judgement.usable,
            measures=judgement.measures,
        )
    return check
