"""What the applications hold about a person, for the rights of UU PDP (``core.data_subjects``):
their cases with the answers, the uploaded documents and their files, the checks shown to them,
the corrections asked of them and each case's history.

- Export: every case the person started, decrypted; staff appear by role and office, never by
  name; the duplicate flags about other people's cases (officers only) are left out.
- Blockers: a case still being worked on. Whatever can be withdrawn is withdrawn on its page;
  a case with the office (being verified, decided and waiting to be collected) must end first.
- Erasure: drafts never submitted are deleted with their documents. An ended case is kept with
  its personal data for ``DATA_RETENTION_YEARS["cases"]`` after it ended; past that, its
  personal fields are emptied and its row stays (``services.erasure``). The nightly sweep
  (``expire``) does the same for everyone, and deletes drafts untouched for as long.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any, cast

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.accounts.models import Role
from gerbang.accounts.selectors import acted_as
from gerbang.applications import selectors, services
from gerbang.applications.checks import describe
from gerbang.applications.models import Application, Document
from gerbang.applications.services.erasure import PRIVACY, RETENTION, WHY_REQUEST, WHY_RETENTION
from gerbang.applications.slots import document_slots
from gerbang.applications.workflow import BY_ACTION, Action, RejectionReason, State
from gerbang.core import data_subjects
from gerbang.core.data_subjects import Activity, Basis, Blocker, ExportFile, Outcome, Provider, Section, iso
from gerbang.core.event_text import name_of
from gerbang.core.events import note_of
from gerbang.core.models import Event

# How many cases one transaction of the sweep erases.
BATCH = 200

# The laws' own names (Indonesian in both languages: they are titles).
CASES_LAW = (
    "UU No. 6/2011 (Keimigrasian); PP No. 31/2013 (Peraturan Pelaksanaan UU Keimigrasian); "
    "Peraturan Menteri tentang paspor, visa dan izin tinggal; UU No. 43/2009 (Kearsipan: retensi)"
)

ACTIVITIES = (
    Activity(
        key="applications.cases",
        name=gettext_lazy("Applications for immigration documents"),
        data=gettext_lazy(
            "The answers of the application form: name, sex, place and date of birth, NIK or "
            "passport number, nationality, address, phone, mother's name, previous passport, "
            "purpose; for a child, the child's data; the state of the case and its history."
        ),
        purpose=gettext_lazy(
            "Deciding the application, issuing the passport, visa or stay permit, and telling "
            "the applicant how the case stands."
        ),
        basis=Basis.LEGAL_OBLIGATION,
        law=CASES_LAW,
        retention=gettext_lazy(
            "While the case is worked on, then the years of the records-retention schedule after it "
            "ended (decided, collected, withdrawn or expired); drafts never submitted until the "
            "person deletes them or asks for erasure."
        ),
        recipients=gettext_lazy(
            "Officers and supervisors of the office that handles the case; auditors. Outside the "
            "authority only where a law requires it."
        ),
    ),
    Activity(
        key="applications.documents",
        name=gettext_lazy("Documents uploaded with an application"),
        data=gettext_lazy(
            "Scans of identity and civil documents (KTP, family card, birth certificate, previous "
            "passport), the applicant's photo, and the results of the automatic checks on them."
        ),
        purpose=gettext_lazy(
            "Verifying the applicant's identity and the conditions of the service; finding "
            "applications made twice with the same picture or NIK."
        ),
        basis=Basis.LEGAL_OBLIGATION,
        law=CASES_LAW,
        retention=gettext_lazy("As the application they belong to."),
        recipients=gettext_lazy("Officers and supervisors of the office that handles the case; auditors."),
    ),
)


def _event_by(event: Event, application: Application) -> str:
    if event.actor_id is None:
        return _("The system")
    if event.actor_id == application.applicant_id:
        return str(Role.APPLICANT.label)
    return acted_as(event.actor, application.office)


def _reason(details: dict[str, Any], note: str | None) -> str:
    """The reason of a step: its code in words and the officer's explanation (the event's note;
    in the details in events recorded before notes)."""
    parts = []
    code = details.get("reason_code")
    if code in RejectionReason.values:
        parts.append(str(RejectionReason(code).label))
    if note or details.get("reason"):
        parts.append(str(note or details["reason"]))
    return " — ".join(parts)


def _in_words(case: Application, answers: dict[str, Any]) -> dict[str, str]:
    fields = selectors.spec_of(case).field_map()
    words = {}
    for name, value in answers.items():
        field = fields.get(name)
        if field is not None and field.choices:
            label = dict(field.choices).get(str(value))
            if label is not None:
                words[name] = str(label)
    return words


def _folder(application: Application) -> str:
    return f"applications/{application.number or f'draft-{application.pk}'}"


def _opener(document: Document) -> Any:
    def open_file() -> IO[bytes]:
        return cast(IO[bytes], document.file.open("rb"))

    return open_file


def export(person: Any) -> list[Section]:
    cases = list(
        Application.objects.filter(applicant=person)
        .select_related("office", "service", "assigned_to")
        .order_by("created_at", "pk")
    )
    case_rows: list[dict[str, Any]] = []
    document_rows: list[dict[str, Any]] = []
    check_rows: list[dict[str, Any]] = []
    correction_rows: list[dict[str, Any]] = []
    history_rows: list[dict[str, Any]] = []
    files: list[ExportFile] = []
    # The PDF names each answer as the form asked for it.
    answer_labels: dict[str, Any] = {}
    seen_forms: set[str] = set()
    by_id = {case.pk: case for case in cases}
    for case in cases:
        if case.form_key not in seen_forms:
            seen_forms.add(case.form_key)
            for name, spec_field in selectors.spec_of(case).field_map().items():
                answer_labels.setdefault(name, spec_field.label)
        case_rows.append(
            {
                "number": case.number or "",
                "service": str(case.service.name),
                "office": str(case.office.name),
                "state": case.state,
                "state_label": case.state_label,
                "for_child": case.for_child,
                "answers": dict(case.answers),
                # The answers chosen from a list, in words ("F" is "Female").
                "answers_in_words": _in_words(case, dict(case.answers)),
                "fee": case.fee,
                "created_at": iso(case.created_at),
                "declared_at": iso(case.declared_at),
                "submitted_at": iso(case.submitted_at),
                "payment_due_at": iso(case.payment_due_at),
                "decision_due": iso(case.due_date),
                "decided_at": iso(case.decided_at),
                "state_changed_at": iso(case.state_changed_at),
                "assigned_to": acted_as(case.assigned_to, case.office),
                "kept_until": iso(selectors.kept_until(case)),
                "personal_data_erased_at": iso(case.personal_data_erased_at),
            }
        )
    documents = (
        Document.objects.filter(application__in=cases)
        .select_related("requirement", "uploaded_by", "verified_by")
        .order_by("application_id", "uploaded_at", "pk")
    )
    for document in documents:
        case = by_id[document.application_id]
        path = ""
        if document.file:
            stored = document.file.name or ""
            extension = stored.rsplit(".", 1)[-1] if "." in stored else "bin"
            named = slugify(str(document.requirement.name))[:50] if document.requirement else ""
            path = f"{_folder(case)}/{named or document.slot}-{document.pk}.{extension}"
            files.append(ExportFile(name=path, open=_opener(document)))
        document_rows.append(
            {
                "application": case.number or "",
                "slot": document.slot,
                "document": str(document.requirement.name) if document.requirement else document.slot,
                "original_name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "pages": document.pages,
                "width": document.width,
                "height": document.height,
                "status": document.get_status_display(),
                "current": document.is_current,
                "uploaded_at": iso(document.uploaded_at),
                "uploaded_by": acted_as(document.uploaded_by, case.office),
                "verified_at": iso(document.verified_at),
                "verified_by": acted_as(document.verified_by, case.office),
                "file": path,
            }
        )
    for case in cases:
        # Only what the person is shown: the officers' flags compare with other people's cases.
        for result in case.checks.filter(visible_to_applicant=True).order_by("created_at", "pk"):
            check_rows.append(
                {
                    "application": case.number or "",
                    "check": result.get_kind_display(),
                    "outcome": result.get_outcome_display(),
                    "findings": describe(result),
                    "at": iso(result.created_at),
                }
            )
        corrections = list(case.corrections.select_related("requested_by").order_by("requested_at", "pk"))
        # What a correction is about, in words: a document's name, or the question as asked.
        names = {slot.key: str(slot.label) for slot in document_slots(case)} if corrections else {}
        fields = selectors.spec_of(case).field_map() if corrections else {}
        for correction in corrections:
            about = names.get(correction.target) or (
                str(fields[correction.target].label) if correction.target in fields else correction.target
            )
            correction_rows.append(
                {
                    "application": case.number or "",
                    "kind": correction.get_target_kind_display(),
                    "item": about,
                    "message": correction.message,
                    "requested_at": iso(correction.requested_at),
                    "requested_by": acted_as(correction.requested_by, case.office),
                    "addressed_at": iso(correction.addressed_at),
                    "resolved_at": iso(correction.resolved_at),
                }
            )
    events = (
        Event.objects.filter(subject_type=selectors.SUBJECT_TYPE, subject_id__in=[str(pk) for pk in by_id])
        .select_related("actor", "note")
        .order_by("created_at", "pk")
    )
    for event in events:
        case = by_id[int(event.subject_id)]
        details = event.details if isinstance(event.details, dict) else {}
        target = details.get("to")
        history_rows.append(
            {
                "application": case.number or "",
                "at": iso(event.created_at),
                "code": event.code,
                "what": name_of(event.code),
                "state": str(State(target).label) if target in State.values else "",
                "reason": _reason(details, note_of(event)),
                "by": _event_by(event, case),
            }
        )
    return [
        Section("applications", gettext_lazy("Applications"), case_rows, files, labels=answer_labels),
        Section("applications.documents", gettext_lazy("Uploaded documents"), document_rows),
        Section("applications.checks", gettext_lazy("Automatic checks of the documents"), check_rows),
        Section("applications.corrections", gettext_lazy("Corrections asked by the office"), correction_rows),
        Section("applications.history", gettext_lazy("History of the applications"), history_rows),
    ]


WITHDRAWABLE = BY_ACTION[Action.CANCEL].sources


def blockers(person: Any) -> list[Blocker]:
    found = []
    for case in selectors.open_cases_of(person).defer("answers"):
        url = reverse("applications:detail", args=[case.pk])
        number = case.number or ""
        if case.state in WITHDRAWABLE:
            text = _(
                "Application %(number)s is still open (%(state)s). Withdraw it on its page, or wait "
                "until it is decided."
            )
        elif case.state in {State.APPROVED, State.READY_FOR_PICKUP}:
            text = _(
                "Application %(number)s was approved (%(state)s) and the document has not been "
                "collected yet: collect it first."
            )
        else:
            text = _(
                "Application %(number)s is being handled by the office (%(state)s) and can no longer "
                "be withdrawn: wait until it is decided."
            )
        found.append(Blocker(text % {"number": number, "state": case.state_label}, url))
    return found


KEPT_REASON = gettext_lazy(
    "An application that was decided, withdrawn or expired is kept, with its answers and "
    "documents, for the years of the authority's records-retention schedule (UU No. 43/2009 "
    "on Archives; UU No. 6/2011 on Immigration); then its personal data is erased."
)
OPEN_REASON = gettext_lazy("Still being handled by the office; it can be erased once it has ended.")


def _outcomes(plan: selectors.ErasurePlan, *, erased_cases: int, erased_documents: int) -> list[Outcome]:
    outcomes = [
        Outcome(
            key="applications.drafts",
            label=gettext_lazy("Applications never submitted (drafts)"),
            erased=len(plan.drafts),
        ),
        Outcome(
            key="applications.cases",
            label=gettext_lazy("Submitted applications"),
            erased=erased_cases,
            kept=len(plan.kept),
            kept_until=plan.latest_kept_until,
            reason=KEPT_REASON if plan.kept else "",
        ),
        Outcome(
            key="applications.documents",
            label=gettext_lazy("Uploaded documents (files)"),
            erased=erased_documents,
            kept=plan.documents_kept,
            kept_until=plan.latest_kept_until,
            reason=KEPT_REASON if plan.documents_kept else "",
        ),
    ]
    if plan.open_cases:
        outcomes.append(
            Outcome(
                key="applications.open",
                label=gettext_lazy("Applications still being handled"),
                kept=len(plan.open_cases),
                reason=OPEN_REASON,
            )
        )
    return outcomes


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    plan = selectors.erasure_plan(person, now)
    if dry_run:
        return _outcomes(
            plan,
            erased_cases=len(plan.past_retention),
            erased_documents=plan.draft_documents + plan.past_documents,
        )
    services.drafts_delete(application_ids=plan.drafts, why=WHY_REQUEST, actor=PRIVACY)
    cases, documents = services.cases_personal_data_erase(
        application_ids=plan.past_retention, now=now, why=WHY_REQUEST, actor=PRIVACY
    )
    # The drafts' documents went with them.
    return _outcomes(plan, erased_cases=cases, erased_documents=documents + plan.draft_documents)


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    drafts = list(selectors.drafts_abandoned(now).values_list("pk", flat=True))
    if dry_run:
        due = selectors.cases_past_retention(now)
        documents = Document.objects.filter(application__in=due).exclude(file="").count()
        return [
            Outcome("applications.drafts", gettext_lazy("Abandoned drafts"), erased=len(drafts)),
            Outcome("applications.cases", gettext_lazy("Submitted applications"), erased=due.count()),
            Outcome("applications.documents", gettext_lazy("Uploaded documents (files)"), erased=documents),
        ]
    deleted = 0
    for start in range(0, len(drafts), BATCH):
        deleted += services.drafts_delete(
            application_ids=drafts[start : start + BATCH], why=WHY_RETENTION, actor=RETENTION
        )
    cases = documents = 0
    while True:
        batch = list(selectors.cases_past_retention(now).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not batch:
            break
        erased, files = services.cases_personal_data_erase(
            application_ids=batch, now=now, why=WHY_RETENTION, actor=RETENTION
        )
        if not erased:
            break
        cases += erased
        documents += files
    return [
        Outcome("applications.drafts", gettext_lazy("Abandoned drafts"), erased=deleted),
        Outcome("applications.cases", gettext_lazy("Submitted applications"), erased=cases),
        Outcome("applications.documents", gettext_lazy("Uploaded documents (files)"), erased=documents),
    ]


def _case_owners(subject_ids: Sequence[str]) -> dict[str, int]:
    return selectors.owners_of_cases(data_subjects.int_ids(subject_ids))


data_subjects.register(
    Provider(
        key="applications",
        activities=ACTIVITIES,
        export=export,
        blockers=blockers,
        erase=erase,
        expire=expire,
        owners={selectors.SUBJECT_TYPE: _case_owners},
    )
)
