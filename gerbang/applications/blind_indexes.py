"""How an application's blind indexes are rebuilt under a new key (see
``gerbang.core.blind_indexes``): both are made from the case's own (encrypted) answers."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gerbang.applications import fields as checks
from gerbang.applications.models import Application
from gerbang.applications.selectors.tracking import tracking_key
from gerbang.core.blind_indexes import register_derived
from gerbang.core.crypto import blind_index
from gerbang.core.exceptions import ValidationError
from gerbang.core.validators import normalize_nik


def subject_nik_index(answers: dict[str, Any]) -> str:
    """The keyed hash of the subject's NIK in ``answers`` ("" without a well-formed one)."""
    nik = normalize_nik(str(answers.get("nik", "")))
    return blind_index(nik, purpose="nik") if len(nik) == 16 and nik.isdigit() else ""


def _subject_nik_index(application: Application) -> str:
    return subject_nik_index(application.answers)


def _tracking_key(application: Application) -> str | None:
    """The tracking hash of a submitted case: its number and the birth date answered."""
    if not application.number:
        return ""
    raw = str(application.answers.get("date_of_birth", "") or "")
    try:
        born = checks.clean_date(raw, field="date_of_birth", today=timezone.localdate())
    except ValidationError:
        return None  # nothing to make it from: leave the stored hash as it is
    return tracking_key(application.number, born)


register_derived(Application, "subject_nik_index", sources=["answers"], compute=_subject_nik_index)
register_derived(Application, "tracking_key", sources=["number", "answers"], compute=_tracking_key)
