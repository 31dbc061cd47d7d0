"""Erasing what the applications hold about a person (UU PDP): drafts never submitted are deleted
with their documents; a case past its retention period keeps its row (ids, number, codes, states,
times: statistics and the ledger stay whole) and loses its personal fields.

Only the system erases (the person's request carried out by ``gerbang.privacy``, or the nightly
retention sweep): ``actor`` is a ``SystemActor``. Each call is one transaction that checks the
rules again on locked rows and records one event per case it changed, in one INSERT.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from gerbang.applications.models import Application, AssistedIntake, CheckResult, Correction, Document
from gerbang.applications.selectors.personal import ended, never_submitted, retention_cutoff
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.storage import private_storage

# The system acting on a person's erasure request, and the retention sweep.
PRIVACY = SystemActor("privacy")
RETENTION = SystemActor("retention")

# Why personal data went: the person asked, or the retention period ended.
WHY_REQUEST = "request"
WHY_RETENTION = "retention"


def _delete_files_on_commit(names: list[str]) -> None:
    storage = private_storage()

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def drafts_delete(*, application_ids: Sequence[int], why: str, actor: SystemActor) -> int:
    """Delete drafts that were never submitted (a draft cancelled before submission too), with
    their documents, checks and files; anything else among ``application_ids`` is left alone."""
    drafts = list(
        Application.objects.select_for_update()
        .filter(never_submitted(), pk__in=list(application_ids))
        .order_by("pk")
    )
    if not drafts:
        return 0
    names = [
        name
        for name in Document.objects.filter(application__in=drafts).values_list("file", flat=True)
        if name
    ]
    # The consent evidence of an assisted draft (the signature or the scanned form) goes too.
    names += [
        name
        for name in AssistedIntake.objects.filter(application__in=drafts).values_list(
            "consent_file", flat=True
        )
        if name
    ]
    events.record_many(
        "application.draft_deleted",
        actor=actor,
        subjects=[(draft, draft.office_id) for draft in drafts],
        details={"why": why},
    )
    Application.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    _delete_files_on_commit(names)
    return len(drafts)


@transaction.atomic
def cases_personal_data_erase(
    *, application_ids: Sequence[int], now: datetime, why: str, actor: SystemActor
) -> tuple[int, int]:
    """Empty the personal fields of ended cases past their retention period at ``now``: the
    answers, the keyed hashes of the person (NIK, tracking), the documents' files, names and
    fingerprints, the findings of the checks and the officers' words in the corrections and
    in the explanations of the case's steps.
    Returns (cases, documents) erased; cases not ended, inside their period or already erased
    are left alone."""
    cases = list(
        Application.objects.select_for_update()
        .filter(
            ended(),
            pk__in=list(application_ids),
            personal_data_erased_at__isnull=True,
            state_changed_at__lt=retention_cutoff(now),
        )
        .order_by("pk")
        .only("pk", "office_id")
    )
    if not cases:
        return 0, 0
    ids = [case.pk for case in cases]
    documents = Document.objects.filter(application_id__in=ids)
    names = [name for name in documents.values_list("file", flat=True) if name]
    erased_documents = documents.exclude(file="").count()
    documents.update(
        file="",
        original_name="",
        sha256="",
        image_hash="",
        hash_band_0="",
        hash_band_1="",
        hash_band_2="",
        hash_band_3="",
    )
    # The consent evidence of an assisted case (signature or scanned form): when and how it was
    # given, and by which officer, stay.
    intakes = AssistedIntake.objects.filter(application_id__in=ids).exclude(consent_file="")
    names += [name for name in intakes.values_list("consent_file", flat=True) if name]
    intakes.update(consent_file="")
    CheckResult.objects.filter(application_id__in=ids).update(findings=[])
    Correction.objects.filter(application_id__in=ids).update(message="")
    # The officers' explanations on the timeline (the events stay, for the public ledger).
    events.notes_erase(Application._meta.label_lower, ids)
    # One by one: the answers are encrypted per row, and the version moves on as on any change.
    for case in Application.objects.filter(pk__in=ids):
        case.answers = {}
        case.subject_nik_index = ""
        case.tracking_key = ""
        case.personal_data_erased_at = now
        case.version += 1
        case.save(
            update_fields=[
                "answers",
                "subject_nik_index",
                "tracking_key",
                "personal_data_erased_at",
                "version",
                "updated_at",
            ]
        )
    events.record_many(
        "application.personal_data_erased",
        actor=actor,
        subjects=[(case, case.office_id) for case in cases],
        details={"why": why},
    )
    _delete_files_on_commit(names)
    return len(cases), erased_documents
