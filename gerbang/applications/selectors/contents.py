"""What a case holds, as its pages show it: the open corrections, the document slots with their
checks, the case's own checks and the answers by step."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gerbang.applications import checks
from gerbang.applications.answers import is_shown
from gerbang.applications.formspec import FORMS
from gerbang.applications.models import Application, CheckResult, Correction, CorrectionTarget, Document
from gerbang.applications.slots import Slot, document_slots

if TYPE_CHECKING:
    from django.utils.functional import Promise


@dataclass
class OpenCorrection:
    correction: Correction
    label: str
    is_document: bool


def open_corrections(application: Application) -> list[OpenCorrection]:
    slots = {s.key: s for s in document_slots(application)}
    fields = FORMS[application.form_key].field_map()
    items = []
    for correction in application.corrections.filter(resolved_at__isnull=True):
        is_document = correction.target_kind == CorrectionTarget.DOCUMENT
        if is_document:
            label = str(slots[correction.target].label) if correction.target in slots else correction.target
        else:
            label = str(fields[correction.target].label) if correction.target in fields else correction.target
        items.append(OpenCorrection(correction, label, is_document))
    return items


@dataclass
class SlotView:
    slot: Slot
    document: Document | None
    results: list[CheckResult]
    messages: list[str]
    correction: Correction | None


def slot_views(application: Application, *, for_staff: bool = False) -> list[SlotView]:
    documents = {d.slot: d for d in application.documents.filter(is_current=True)}
    results = defaultdict(list)
    for result in application.checks.filter(document__isnull=False):
        if for_staff or result.visible_to_applicant:
            results[result.document_id].append(result)
    corrections = {
        c.target: c
        for c in application.corrections.filter(
            target_kind=CorrectionTarget.DOCUMENT, resolved_at__isnull=True
        )
    }
    views = []
    for slot in document_slots(application):
        document = documents.get(slot.key)
        slot_results = results.get(document.pk, []) if document else []
        views.append(
            SlotView(
                slot=slot,
                document=document,
                results=slot_results,
                messages=[m for r in slot_results for m in checks.describe(r)],
                correction=corrections.get(slot.key),
            )
        )
    return views


def case_checks(application: Application, *, for_staff: bool) -> list[tuple[CheckResult, list[str]]]:
    """Checks of the whole case (passport lines, duplicates)."""
    found = application.checks.filter(document__isnull=True)
    if not for_staff:
        found = found.filter(visible_to_applicant=True)
    return [(result, checks.describe(result)) for result in found]


@dataclass
class AnswerRow:
    name: str
    label: str | Promise
    value: str
    error: str = ""


def answer_rows(
    application: Application, errors: dict[str, str] | None = None
) -> list[tuple[Any, list[AnswerRow]]]:
    """The answers that apply, by step, as typed (choices shown by their label), with each
    one's problem; for the review page and the officers' case page."""
    spec = FORMS[application.form_key]
    answers = application.answers
    grouped = []
    for step in spec.steps:
        rows = []
        for spec_field in step.fields:
            if not is_shown(spec_field, answers):
                continue
            value = str(answers.get(spec_field.name, ""))
            if spec_field.choices:
                value = str(dict(spec_field.choices).get(value, value))
            rows.append(
                AnswerRow(spec_field.name, spec_field.label, value, (errors or {}).get(spec_field.name, ""))
            )
        grouped.append((step, rows))
    return grouped
