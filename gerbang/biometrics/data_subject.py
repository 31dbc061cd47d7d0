"""What the face checks hold about a person (UU PDP; ``core.data_subjects``): the live pictures
taken at the counter and their embeddings, the embeddings of the case's reference pictures, and
each check's result with the officer's decision.

- Export: each check's time, result, distance and decision, and the live picture while it is
  kept (the person's own face).
- Erasure: after the applications erased a case's personal data (they run first), its
  references' embeddings are deleted and its live pictures erased; the results stay (they hold
  no biometric data). The nightly sweep (``expire``) erases every live picture and embedding
  older than ``BIOMETRIC_RETENTION_DAYS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from io import BytesIO
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.applications.services.erasure import PRIVACY, RETENTION
from gerbang.biometrics import pictures, services
from gerbang.biometrics.models import FaceCheck, FingerprintCapture
from gerbang.core import data_subjects
from gerbang.core.data_subjects import Activity, Basis, ExportFile, Outcome, Provider, Section, iso

ACTIVITIES = (
    Activity(
        key="biometrics.face_checks",
        name=_("Face checks at the counter"),
        data=_(
            "Biometric data: the picture of the face taken at the counter and the face embeddings "
            "(128 numbers) computed from it and from the application's photo or previous passport; "
            "the result of each comparison and the officer's decision; which fingers the fingerprint "
            "scanner took, their quality and the reference of its record (the fingerprints stay in "
            "the scanner's system)"
        ),
        purpose=_(
            "Confirming that the person at the counter is the applicant. The comparison advises; the "
            "officer decides"
        ),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 6/2011 (Keimigrasian); UU No. 27/2022 (Pelindungan Data Pribadi), Pasal 4 dan 20",
        retention=_(
            "The picture taken and its embedding: the days set by the authority (BIOMETRIC_RETENTION_DAYS) "
            "after the check; the embeddings of the pictures on file: as long as the case's personal "
            "data; the results: with the case"
        ),
        recipients=_("Officers and supervisors of the office handling the application"),
    ),
)


def _outcome(count: int) -> list[Outcome]:
    return [Outcome("biometrics.face_checks", _("Face pictures and embeddings"), erased=count)]


def export(person: Any) -> list[Section]:
    checks = FaceCheck.objects.filter(application__applicant=person).select_related("application")
    rows, files = [], []
    for check in checks.order_by("checked_at", "id"):
        rows.append(
            {
                "application": check.application.number,
                "checked_at": iso(check.checked_at),
                "outcome": check.outcome,
                "distance": check.distance,
                "threshold": check.threshold,
                "decision": check.decision,
                "decided_at": iso(check.decided_at),
            }
        )
        if check.capture:
            files.append(
                ExportFile(
                    f"biometrics/{check.application.number or check.application_id}/check-{check.pk}.jpg",
                    partial(BytesIO, pictures.capture_bytes(check.capture)),
                )
            )
    captures = FingerprintCapture.objects.filter(application__applicant=person).select_related("application")
    for capture in captures.order_by("captured_at", "id"):
        rows.append(
            {
                "application": capture.application.number,
                "fingerprints_taken_at": iso(capture.captured_at),
                "fingers_and_quality": capture.fingers,
            }
        )
    if not rows:
        return []
    return [Section("biometrics", _("Face checks at the counter"), rows, files)]


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        return _outcome(services.references_due(person))
    return _outcome(services.face_data_forget_erased(actor=PRIVACY, applicant=person))


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        return _outcome(len(services.captures_due(now)) + services.references_due())
    return _outcome(
        services.captures_expire(now=now, actor=RETENTION) + services.face_data_forget_erased(actor=RETENTION)
    )


def _owners(model: type[FaceCheck] | type[FingerprintCapture], subject_ids: Sequence[str]) -> dict[str, int]:
    rows = model.objects.filter(pk__in=data_subjects.int_ids(subject_ids)).values_list(
        "pk", "application__applicant_id"
    )
    return {str(pk): owner for pk, owner in rows}


data_subjects.register(
    Provider(
        key="biometrics",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        expire=expire,
        owners={
            FaceCheck._meta.label_lower: partial(_owners, FaceCheck),
            FingerprintCapture._meta.label_lower: partial(_owners, FingerprintCapture),
        },
        # After the applications (50), whose erasure this follows.
        order=55,
    )
)
