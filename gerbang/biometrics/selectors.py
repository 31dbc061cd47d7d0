"""What the face-check pages read: the case as an officer may see it, its reference pictures and
its checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.applications import selectors as case_selectors
from gerbang.applications.models import Application, Document
from gerbang.applications.slots import PHOTO_SLOT
from gerbang.applications.workflow import State
from gerbang.biometrics import index
from gerbang.biometrics.models import (
    FaceCheck,
    FaceReference,
    FingerprintCapture,
    LivenessCheck,
    ReferenceRole,
)
from gerbang.biometrics.texts import finding_label
from gerbang.biometrics.thresholds import DUPLICATE_THRESHOLD
from gerbang.catalog.models import Requirement, RequirementCase

# The Indonesian name the catalogue gives the previous passport's requirement.
PREVIOUS_PASSPORT_NAME = "paspor lama"
# Pictures a face can be read from: images as stored, and scans in PDF (their embedded picture).
READABLE_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})


@dataclass(frozen=True)
class Reference:
    document: Document
    role: ReferenceRole


def may_verify(user: Any, application: Application | None = None) -> bool:
    office_id = application.office_id if application is not None else None
    return has_permission(user, Perm.BIOMETRICS_VERIFY, office_id=office_id)


def case_for_verifier(user: Any, pk: int) -> Application | None:
    """The case, when ``user`` may check faces at its office (an unknown id, a case of another
    office or an id no column holds: None)."""
    if not may_verify(user):
        return None
    application = case_selectors.case_for_staff(user, pk)
    if application is None or not may_verify(user, application):
        return None
    return application


def at_counter(application: Application) -> bool:
    """Whether the case waits for its interview and biometrics: the only time a face is checked."""
    return bool(application.state == State.AWAITING_APPOINTMENT)


def references_of(application: Application) -> list[Reference]:
    """The case's pictures of the applicant's face: the application photo, and the previous
    passport's scan (renewals), current versions only."""
    found = []
    documents = application.documents.filter(is_current=True).select_related("requirement")
    for document in documents.order_by("id"):
        if document.content_type not in READABLE_TYPES or not document.file:
            continue
        if document.slot == PHOTO_SLOT:
            found.append(Reference(document, ReferenceRole.PHOTO))
        elif document.requirement is not None and is_previous_passport(document.requirement):
            found.append(Reference(document, ReferenceRole.PREVIOUS_PASSPORT))
    return sorted(found, key=lambda reference: reference.role != ReferenceRole.PHOTO)


def is_previous_passport(requirement: Requirement) -> bool:
    """The catalogue's requirement of the previous passport: asked when the applicant has one
    (``has_passport``), or always, by the renewal services, under its name ("Paspor lama"). The
    catalogue has no flag for it as it has for the photo (``is_photo``); one would be better."""
    return (
        requirement.applies_to == RequirementCase.HAS_OLD_PASSPORT
        or requirement.name_id.strip().lower().startswith(PREVIOUS_PASSPORT_NAME)
    )


def checks_of(application: Application) -> QuerySet[FaceCheck]:
    return application.face_checks.select_related("checked_by", "decided_by")


def check_of(application: Application, pk: int) -> FaceCheck | None:
    return checks_of(application).filter(pk=pk).first()


@dataclass(frozen=True)
class ComparisonView:
    role_label: str
    finding: str
    finding_label: str
    distance: float | None
    match: bool | None
    # The reference's document, while the case still has it (its picture opens through the case's
    # document viewer, which records that read).
    document_id: int | None


def comparisons_of(check: FaceCheck) -> list[ComparisonView]:
    ids = [row.get("reference") for row in check.comparisons or [] if isinstance(row.get("reference"), int)]
    documents = dict(FaceReference.objects.filter(pk__in=ids).values_list("pk", "document_id"))
    views = []
    for row in check.comparisons or []:
        role = row.get("role", "")
        views.append(
            ComparisonView(
                role_label=str(ReferenceRole(role).label) if role in ReferenceRole.values else str(role),
                finding=str(row.get("finding", "")),
                finding_label=finding_label(str(row.get("finding", ""))),
                distance=row.get("distance"),
                match=row.get("match"),
                document_id=documents.get(row.get("reference")),
            )
        )
    return views


def same_face_cases(application: Application) -> list[tuple[int, float]]:
    """Other applications whose photo shows the face of this one's photo (within
    ``DUPLICATE_THRESHOLD``), nearest first, with the distance; empty when its photo was not
    read (``services.photos_index``) or shows no usable face."""
    found: dict[int, float] = {}
    references = FaceReference.objects.filter(application=application, role=ReferenceRole.PHOTO).exclude(
        embedding_text=""
    )
    for reference in references:
        embedding = reference.embedding
        if embedding is None:
            continue
        for case, distance in index.faces_near(
            embedding, radius=DUPLICATE_THRESHOLD, excluding_application=application.pk
        ):
            found[case] = min(distance, found.get(case, distance))
    return sorted(found.items(), key=lambda pair: pair[1])


def photos_read(application: Application) -> bool:
    """Whether every application photo of the case was read (so the duplicate search has looked)."""
    photos = [r for r in references_of(application) if r.role == ReferenceRole.PHOTO]
    read = set(
        FaceReference.objects.filter(document__in=[r.document for r in photos]).values_list(
            "document_id", flat=True
        )
    )
    return bool(photos) and all(r.document.pk in read for r in photos)


def fingerprints_of(application: Application) -> QuerySet[FingerprintCapture]:
    return application.fingerprint_captures.select_related("captured_by")


def liveness_of(application: Application) -> QuerySet[LivenessCheck]:
    return application.liveness_checks.select_related("checked_by")
