"""What feedback holds about a person (UU PDP): the questions they asked an office
(consultations) and the reports they filed under their name, open or confidential (SP4N-LAPOR!),
with their threads and attached files. An anonymous report is linked to no account: it is
nobody's here, and its code is the only key to it.

Erasure: a question or report still being handled blocks it (the person closes the question
themselves; a report ends when the office has answered it, and the person can then confirm it).
Closed ones are the record of a public service given and of a complaint handled: they are kept
for ``DATA_RETENTION_YEARS["reports"]`` after they ended, linked to the pseudonymised account;
then the retention sweep erases their texts and files, and for reports the link to the reporter.
A confidential reporter stays hidden throughout: nothing here names them to an office, and the
events of erasure carry ids only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any, cast

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerbang.accounts.models import Role
from gerbang.core.actors import WORKER
from gerbang.core.data_subjects import (
    Activity,
    Basis,
    Blocker,
    ExportFile,
    Outcome,
    Provider,
    Section,
    int_ids,
    iso,
    register,
)
from gerbang.feedback import report_selectors, report_services, selectors, services, threads
from gerbang.feedback.lifecycle import FINAL
from gerbang.feedback.models import (
    Consultation,
    ConsultationStatus,
    Report,
    ThreadAttachment,
    ThreadMessage,
)

if TYPE_CHECKING:
    from django.utils.functional import Promise


def _retention() -> str:
    years = threads.retention_years()
    return ngettext(
        "While it is being handled, then %(years)d year after it was closed; then its texts and files are erased",
        "While it is being handled, then %(years)d years after it was closed; then its texts and files are erased",
        years,
    ) % {"years": years}


# Read when shown, in the reader's language and with the years the settings give.
RETENTION = cast("Promise", lazy(_retention, str)())

ACTIVITIES = (
    Activity(
        key="feedback.consultations",
        name=_("Questions to an office"),
        data=_(
            "The question's subject and topic, the messages of the person and of the office, the "
            "person's application it is about, and its dates"
        ),
        purpose=_("Answering people's questions about the services within the service standard"),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 25/2009 (Pelayanan Publik)",
        retention=RETENTION,
        recipients=_("The person; the staff of the office asked"),
    ),
    Activity(
        key="feedback.reports",
        name=_("Complaints, aspirations and requests for information (SP4N-LAPOR!)"),
        data=_(
            "The report's subject, kind and topic, the messages and attached files of the reporter "
            "and of the handling unit, the person's application it is about, its dates; the "
            "reporter's name unless they chose to stay anonymous"
        ),
        purpose=_("Handling public complaints, following them up and accounting for them"),
        basis=Basis.LEGAL_OBLIGATION,
        law="UU No. 25/2009 (Pelayanan Publik); Perpres No. 76/2013 (Pengelolaan Pengaduan Pelayanan Publik)",
        retention=RETENTION,
        recipients=_(
            "The person; the handling unit (the office, or the national complaints unit, which "
            "alone sees the name of a confidential reporter)"
        ),
    ),
)


def _role(author: Any) -> str:
    role = getattr(author, "role", "")
    return str(Role(role).label) if role in Role.values else ""


def _messages(messages: Sequence[ThreadMessage], office_name: str) -> list[dict[str, Any]]:
    """The thread as the person sees it: their own messages, and the office's named by the unit
    and the writer's role, never by the writer's name."""
    rows = []
    for message in messages:
        row: dict[str, Any] = {"at": iso(message.created_at), "body": message.body}
        if message.from_office:
            row["from"] = "office"
            row["office"] = office_name
            row["writer_role"] = _role(getattr(message, "author", None))
        else:
            row["from"] = "you"
        rows.append(row)
    return rows


def _office_name(office: Any) -> str:
    return str(office.name) if office is not None else str(_("National complaints unit"))


def _opener(attachment: ThreadAttachment) -> Callable[[], IO[bytes]]:
    return lambda: cast("IO[bytes]", attachment.file.open("rb"))


def _attachments(folder: str, thread: Any, files: list[ExportFile]) -> list[dict[str, Any]]:
    """The rows of a thread's attachments (a consultation's or a report's), their files added to
    ``files`` under ``folder`` in the copy."""
    rows = []
    for attachment in thread.attachments.all():
        path = f"{folder}/{attachment.pk}-{attachment.name}"
        rows.append({"file": path, "name": attachment.name, "size": attachment.size})
        files.append(ExportFile(path, _opener(attachment)))
    return rows


def export(person: Any) -> list[Section]:
    consultations = []
    consultation_files: list[ExportFile] = []
    for consultation in (
        selectors.consultations_of(person)
        .prefetch_related("messages__author", "attachments")
        .order_by("created_at", "pk")
    ):
        office = _office_name(consultation.office)
        consultation_attachments = _attachments(
            f"consultations/{consultation.reference}", consultation, consultation_files
        )
        consultations.append(
            {
                "reference": consultation.reference,
                "office": office,
                "topic": consultation.topic,
                "topic_label": consultation.topic_label,
                "subject": consultation.subject,
                "status": consultation.status_label,
                "application": consultation.application.number if consultation.application else None,
                "language": consultation.language,
                "asked_at": iso(consultation.created_at),
                "answer_due": consultation.answer_due.isoformat(),
                "first_answered_at": iso(consultation.first_answered_at),
                "closed_at": iso(consultation.closed_at),
                "messages": _messages(list(consultation.messages.all()), office),
                "attachments": consultation_attachments,
            }
        )
    reports = []
    files: list[ExportFile] = []
    for report in (
        report_selectors.reports_of(person)
        .prefetch_related("messages__author", "attachments")
        .order_by("created_at", "pk")
    ):
        office = _office_name(report.office)
        attachments = _attachments(f"reports/{report.reference}", report, files)
        reports.append(
            {
                "reference": report.reference,
                "kind": report.kind_label,
                "topic": report.topic_label,
                "privacy": report.privacy,
                "about_staff": report.about_staff,
                "handled_by": office,
                "subject": report.subject,
                "status": report.status_label,
                "tier": report.tier_label,
                "referral": report.referral,
                "application": report.application.number if report.application else None,
                "channel": report.channel,
                "filed_at": iso(report.created_at),
                "due": report.due.isoformat() if report.due else None,
                "answered_at": iso(report.answered_at),
                "closed_at": iso(report.closed_at),
                "messages": _messages(list(report.messages.all()), office),
                "attachments": attachments,
            }
        )
    sections = []
    if consultations:
        sections.append(
            Section("consultations", _("Your questions to offices"), consultations, consultation_files)
        )
    if reports:
        sections.append(Section("reports", _("Your reports (SP4N-LAPOR!)"), reports, files))
    return sections


def blockers(person: Any) -> list[Blocker]:
    found = []
    for consultation in selectors.consultations_of(person).filter(status__in=selectors.OPEN).order_by("pk"):
        text = (
            _("Your question %(reference)s is answered but still open: close it on its page.")
            if consultation.status == ConsultationStatus.ANSWERED
            else _(
                "Your question %(reference)s is waiting for the office's answer: close it when you have it."
            )
        )
        found.append(
            Blocker(
                text % {"reference": consultation.reference},
                reverse("feedback:detail", args=[consultation.pk]),
            )
        )
    for report in report_selectors.reports_of(person).exclude(status__in=FINAL).order_by("pk"):
        found.append(
            Blocker(
                _(
                    "Your report %(reference)s is still being handled: once the office has answered, "
                    "confirm that it is settled, or wait until it is closed."
                )
                % {"reference": report.reference},
                reverse("feedback:report", args=[report.pk]),
            )
        )
    return found


KEPT = _(
    "Kept, linked to your pseudonymised account, as the record of a public service given and of "
    "a complaint handled; then its texts and files are erased"
)
STILL_OPEN = _("Still being handled: it can be erased once it is closed")


def _outcome(key: str, label: Any, *, open_count: int, kept: list[datetime], erased: int) -> Outcome:
    until: date | None = threads.kept_until(max(kept)) if kept else None
    reason = STILL_OPEN if open_count else (KEPT if kept else "")
    return Outcome(key, label, erased=erased, kept=len(kept) + open_count, kept_until=until, reason=reason)


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    cutoff = threads.retention_cutoff(now)
    consultations = list(selectors.consultations_of(person).exclude(subject=""))
    closed = [c for c in consultations if c.status == ConsultationStatus.CLOSED and c.closed_at is not None]
    past = [c for c in closed if c.closed_at is not None and c.closed_at < cutoff]
    kept = [c.closed_at for c in closed if c.closed_at is not None and c.closed_at >= cutoff]
    reports = list(report_selectors.reports_of(person).exclude(subject=""))
    ended = [(r, report_selectors.ended_at(r)) for r in reports]
    past_reports = [r for r, end in ended if end is not None and end < cutoff]
    kept_reports = [end for _r, end in ended if end is not None and end >= cutoff]
    if not dry_run:
        services.consultations_texts_erase(consultations=past, actor=WORKER)
        report_services.reports_texts_erase(reports=past_reports, actor=WORKER)
    return [
        _outcome(
            "feedback.consultations",
            _("Your questions to offices"),
            open_count=len(consultations) - len(closed),
            kept=kept,
            erased=len(past),
        ),
        _outcome(
            "feedback.reports",
            _("Your reports (SP4N-LAPOR!)"),
            open_count=sum(1 for _r, end in ended if end is None),
            kept=kept_reports,
            erased=len(past_reports),
        ),
    ]


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    consultations = list(selectors.consultations_past_retention(now))
    reports = list(report_selectors.reports_past_retention(now))
    if not dry_run:
        services.consultations_texts_erase(consultations=consultations, actor=WORKER)
        report_services.reports_texts_erase(reports=reports, actor=WORKER)
    return [
        Outcome(
            "feedback.consultations",
            _("Questions to offices past their retention period"),
            erased=len(consultations),
        ),
        Outcome("feedback.reports", _("Reports past their retention period"), erased=len(reports)),
    ]


def _askers(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Consultation.objects.filter(pk__in=int_ids(subject_ids)).values_list("pk", "asker_id")
    return {str(pk): asker for pk, asker in rows}


def _reporters(subject_ids: Sequence[str]) -> dict[str, int]:
    """Open and confidential reports belong to their reporter (a breach must be told to them,
    Pasal 46); anonymous ones to nobody known."""
    rows = Report.objects.filter(pk__in=int_ids(subject_ids), reporter__isnull=False).values_list(
        "pk", "reporter_id"
    )
    return {str(pk): reporter for pk, reporter in rows if reporter is not None}


register(
    Provider(
        key="feedback",
        activities=ACTIVITIES,
        export=export,
        blockers=blockers,
        erase=erase,
        expire=expire,
        owners={"feedback.consultation": _askers, "feedback.report": _reporters},
    )
)
