"""Reports (SP4N-LAPOR!): filing one, and every step of its life cycle (``lifecycle.TABLE``).
Each step writes its event in the same transaction and tells the reporter through the outbox
(``ReportChanged``); an escalation tells the supervisors or the national unit (``ReportEscalated``).

Who acts: a reporter with an account (``actor`` is them), an anonymous reporter (``code``: the
follow-up code given once at filing), the handling unit (office staff with REPORT_HANDLE for the
report's office; the national unit for everything), or the clock (``SystemActor``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import Role, User
from gerbang.applications.documents import InspectedFile
from gerbang.applications.models import Application
from gerbang.catalog.models import Office
from gerbang.core import events
from gerbang.core.actors import WORKER, SystemActor
from gerbang.core.exceptions import NotFound, PermissionDenied, ValidationError
from gerbang.core.ratelimit import Limit
from gerbang.feedback import threads
from gerbang.feedback.events import ReportChanged, ReportEscalated
from gerbang.feedback.lifecycle import FINAL, OWED_BY_OFFICE, Action, Who, step
from gerbang.feedback.models import (
    DEFAULT_TIER,
    TIER_DAYS,
    Report,
    ReportAttachment,
    ReportKind,
    ReportMessage,
    ReportPrivacy,
    ReportStatus,
    ReportTier,
    ReportTopic,
)
from gerbang.feedback.report_selectors import can_handle, code_hash, code_hashes, report_for_staff

KIND_MISSING = _(
    "Choose what kind of report this is: an aspiration, a complaint or a request for information."
)
REPORT_TOPIC_MISSING = _('Choose what the report is about, or "Something else".')
PRIVACY_MISSING = _("Choose whether your name may be shown, kept confidential, or not given at all.")
REPORT_SUBJECT_MISSING = _("Write a short subject for your report, e.g. “Waited four hours at the counter”.")
CODE_LENGTH = 16
VERIFY_EVENTS = {
    "verify": "report.verified",
    "postpone": "report.postponed",
    "refer": "report.referred",
    "archive": "report.archived",
}


# A file given with a report or a message (shared with consultations).
Upload = threads.Upload


@dataclass(frozen=True)
class Filed:
    report: Report
    # The anonymous reporter's follow-up code, shown once and never stored (else empty).
    code: str


def _reports_limit() -> Limit:
    return Limit("report-submit", settings.REPORTS_PER_DAY, 24 * 60 * 60)


def _store(report: Report, files: list[tuple[InspectedFile, str]], message: ReportMessage | None) -> None:
    threads.store_attachments(ReportAttachment, files, report=report, message=message)


def _reporter_actor(report: Report) -> User | None:
    """Who the event log names for a reporter's step: nobody when the reporter is hidden."""
    return None if report.hides_reporter else report.reporter


def _record(
    report: Report, code: str, *, actor: Any, details: dict[str, Any] | None = None, tell: bool = True
) -> None:
    """The step's event, told to the other apps (``ReportChanged``) with (``tell``: a step the
    reporter did not take) the reporter's message, in the caller's transaction."""
    event = events.record(code, actor=actor, subject=report, office_id=report.office_id, details=details)
    events.publish(ReportChanged(report=report, code=code, event_id=event.pk, tell=tell))


def _due(report: Report, status: str, moment: datetime) -> Any:
    if status == ReportStatus.SUBMITTED:
        return threads.due_after(report.office, moment, settings.REPORT_VERIFY_DAYS)
    if status in (ReportStatus.ROUTED, ReportStatus.FOLLOWED_UP):
        return threads.due_after(report.office, moment, TIER_DAYS[report.tier or DEFAULT_TIER[report.kind]])
    return None


def report_submit(
    *,
    kind: str,
    topic: str,
    office: Office | None,
    subject: str,
    body: str,
    privacy: str,
    actor: Any,
    about_staff: bool = False,
    application: Application | None = None,
    uploads: list[Upload] | None = None,
    client: str = "",
    channel: str = "web",
    now: datetime | None = None,
) -> Filed:
    """File a report with an office (``office``) or the national unit (``None``). About staff:
    always the national unit. Anonymous: no account kept, a follow-up code returned once."""
    signed_in = bool(getattr(actor, "is_authenticated", False))
    if signed_in and getattr(actor, "is_staff_role", False):
        raise PermissionDenied(_("Reports are filed from an applicant's account or anonymously."))
    if kind not in ReportKind.values:
        raise ValidationError(KIND_MISSING, field="kind")
    if topic not in ReportTopic.values:
        raise ValidationError(REPORT_TOPIC_MISSING, field="topic")
    if privacy not in ReportPrivacy.values:
        raise ValidationError(PRIVACY_MISSING, field="privacy")
    if privacy != ReportPrivacy.ANONYMOUS and not signed_in:
        raise ValidationError(
            _("Sign in to file a report under your name, or choose to stay anonymous."), field="privacy"
        )
    if application is not None:
        if privacy == ReportPrivacy.ANONYMOUS or not signed_in or application.applicant_id != actor.pk:
            raise ValidationError(_("Choose one of your own applications, or none."), field="application")
        office = office or application.office
    if office is not None and not office.is_active:
        raise ValidationError(_("This office does not take reports."), field="office")
    if about_staff:
        office = None  # whistle-blowing about staff goes to the national unit only
    clean_subject = threads.clean_subject(subject, missing=REPORT_SUBJECT_MISSING)
    clean_body = threads.clean_body(body)
    files = threads.inspect_uploads(uploads)
    threads.throttle(
        _reports_limit(),
        f"user:{actor.pk}" if signed_in else f"ip:{client}",
        _("You have filed many reports today. Please try again tomorrow, or add to a report you filed."),
    )
    moment = now or timezone.now()
    code = ""
    with transaction.atomic():
        report = Report(
            reference=threads.new_reference("LAPOR", Report),
            kind=kind,
            topic=topic,
            reporter=actor if signed_in and privacy != ReportPrivacy.ANONYMOUS else None,
            privacy=privacy,
            about_staff=about_staff,
            office=office,
            application=application,
            subject=clean_subject,
            channel=channel,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            created_at=moment,
            updated_at=moment,
        )
        if privacy == ReportPrivacy.ANONYMOUS:
            code = threads.random_code(CODE_LENGTH)
            code = "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))
            report.code_hash = code_hash(code)
        report.due = _due(report, ReportStatus.SUBMITTED, moment)
        report.save()
        message = ReportMessage.objects.create(
            report=report, author=report.reporter, body=clean_body, created_at=moment
        )
        _store(report, files, message)
        _record(
            report,
            "report.submitted",
            actor=_reporter_actor(report),
            details={"kind": kind, "topic": topic, "about_staff": about_staff, "by": "reporter"},
        )
    return Filed(report=report, code=code)


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",)).select_related("office", "reporter").get(pk=report.pk)
    )


def _who(report: Report, actor: Any, code: str | None) -> Who:
    """Which side ``actor`` (with ``code``, for an anonymous reporter) is on this report."""
    if isinstance(actor, SystemActor):
        return Who.SYSTEM
    if report.reporter_id is not None and getattr(actor, "pk", None) == report.reporter_id:
        return Who.REPORTER
    if code and report.code_hash and report.code_hash in code_hashes(code):
        return Who.REPORTER
    if getattr(actor, "is_authenticated", False) and can_handle(actor, report):
        return Who.HANDLER
    raise PermissionDenied()


def _move(
    fresh: Report, action: Action, *, actor: Any, code: str | None, moment: datetime
) -> tuple[Report, str]:
    """Take ``action`` on a report locked by the caller, as the table says (status, due date)."""
    who = _who(fresh, actor, code)
    to = step(fresh.status, action, who)
    previous = fresh.status
    fresh.status = to
    fresh.updated_at = moment
    if to != previous or action == Action.ROUTE:
        fresh.due = _due(fresh, to, moment)
        if to in OWED_BY_OFFICE:
            fresh.escalation = 0
            fresh.escalated_at = None
    return fresh, previous


def _message(
    report: Report,
    *,
    body: str,
    author: Any,
    from_office: bool,
    seen: int | None,
    files: list[tuple[InspectedFile, str]],
    moment: datetime,
) -> ReportMessage:
    threads.check_seen(report.messages.all(), seen)
    message = ReportMessage.objects.create(
        report=report,
        author=author if isinstance(author, User) else None,
        from_office=from_office,
        body=body,
        created_at=moment,
    )
    _store(report, files, message)
    return message


def report_verify(
    *,
    report: Report,
    actor: Any,
    outcome: str,
    tier: str = "",
    office: Office | None = None,
    national: bool = False,
    note: str = "",
    now: datetime | None = None,
) -> Report:
    """The handling unit's verification (within REPORT_VERIFY_DAYS): ``verify`` (with a tier,
    the kind's default when none, and the office or national unit it is routed to),
    ``postpone`` (``note`` asks the reporter for what is missing), ``refer`` (``note`` says which
    agency is responsible) or ``archive``."""
    actions = {
        "verify": Action.VERIFY,
        "postpone": Action.POSTPONE,
        "refer": Action.REFER,
        "archive": Action.ARCHIVE,
    }
    if outcome not in actions:
        raise ValidationError(_("Choose the outcome of the verification."), field="outcome")
    if tier and tier not in ReportTier.values:
        raise ValidationError(_("Choose a service-level tier."), field="tier")
    text = " ".join((note or "").split()) if outcome == "archive" else (note or "").strip()
    if outcome in ("postpone", "refer"):
        text = threads.clean_body(note)
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _locked(report)
        if outcome == "verify":
            fresh.tier = tier or DEFAULT_TIER[fresh.kind]
        # Who may verify is judged where the report is now, before it is routed anywhere.
        fresh, previous = _move(fresh, actions[outcome], actor=actor, code=None, moment=moment)
        if outcome == "verify":
            fresh.verified_at = moment
            if not fresh.about_staff and (national or office is not None):
                fresh.office = None if national else office
                fresh.due = _due(fresh, fresh.status, moment)
        if outcome == "refer":
            fresh.referral = text
        if outcome in ("refer", "archive", "postpone"):
            fresh.due = None
        fresh.save()
        if outcome in ("postpone", "refer") or (outcome == "archive" and text):
            _message(fresh, body=text, author=actor, from_office=True, seen=None, files=[], moment=moment)
        _record(
            fresh,
            VERIFY_EVENTS[outcome],
            actor=actor,
            details={"tier": fresh.tier, "office": fresh.office_id, "from": previous},
        )
    return fresh


def report_route(*, report: Report, actor: Any, office: Office | None, now: datetime | None = None) -> Report:
    """Disposisi: hand the report on to another office (``None``: the national unit)."""
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _locked(report)
        if fresh.about_staff and office is not None:
            raise ValidationError(_("A report about staff stays with the national unit."), field="office")
        previous_office = fresh.office_id
        fresh, _previous = _move(fresh, Action.ROUTE, actor=actor, code=None, moment=moment)
        fresh.office = office
        fresh.due = _due(fresh, fresh.status, moment)
        fresh.save()
        _record(
            fresh,
            "report.routed",
            actor=actor,
            details={"from_office": previous_office, "office": office.pk if office else None},
        )
    return fresh


def report_answer(
    *,
    report: Report,
    actor: Any,
    body: str,
    seen_message_id: int | None = None,
    uploads: list[Upload] | None = None,
    now: datetime | None = None,
) -> ReportMessage:
    """The handling unit answers (or follows up) in the thread; the reporter is told."""
    if not isinstance(actor, User):
        raise PermissionDenied()
    text = threads.message_body(body, str(actor.pk))
    files = threads.inspect_uploads(uploads)
    moment = now or timezone.now()
    with transaction.atomic():
        fresh, previous = _move(_locked(report), Action.ANSWER, actor=actor, code=None, moment=moment)
        late = previous in OWED_BY_OFFICE and threads.is_overdue(fresh.office, report.due, moment)
        fresh.answered_at = moment
        fresh.first_answered_at = fresh.first_answered_at or moment
        fresh.save()
        message = _message(
            fresh, body=text, author=actor, from_office=True, seen=seen_message_id, files=files, moment=moment
        )
        _record(fresh, "report.answered", actor=actor, details={"message": message.pk, "late": late})
    return message


def report_reply(
    *,
    report: Report,
    actor: Any,
    body: str,
    code: str | None = None,
    seen_message_id: int | None = None,
    uploads: list[Upload] | None = None,
    now: datetime | None = None,
) -> ReportMessage:
    """The reporter writes: more information when asked, an addition while the office works on
    it, or, after an answer, that it did not resolve the matter (the office follows up)."""
    text = threads.message_body(body, str(getattr(actor, "pk", None) or f"code:{report.pk}"))
    files = threads.inspect_uploads(uploads)
    moment = now or timezone.now()
    with transaction.atomic():
        current = _locked(report)
        action = {
            ReportStatus.NEEDS_INFO: Action.PROVIDE_INFO,
            ReportStatus.ANSWERED: Action.NOT_RESOLVED,
        }.get(ReportStatus(current.status), Action.REPLY)
        fresh, _previous = _move(current, action, actor=actor, code=code, moment=moment)
        fresh.save()
        message = _message(
            fresh,
            body=text,
            author=fresh.reporter,
            from_office=False,
            seen=seen_message_id,
            files=files,
            moment=moment,
        )
        code_name = {
            Action.PROVIDE_INFO: "report.info_provided",
            Action.NOT_RESOLVED: "report.not_resolved",
            Action.REPLY: "report.replied",
        }[action]
        _record(fresh, code_name, actor=_reporter_actor(fresh), details={"by": "reporter"}, tell=False)
    return message


def report_confirm(
    *, report: Report, actor: Any, code: str | None = None, now: datetime | None = None
) -> Report:
    """The reporter confirms the answer settled it: closed."""
    moment = now or timezone.now()
    with transaction.atomic():
        fresh, _previous = _move(_locked(report), Action.CONFIRM, actor=actor, code=code, moment=moment)
        fresh.closed_at = moment
        fresh.save()
        _record(fresh, "report.closed", actor=_reporter_actor(fresh), details={"by": "reporter"}, tell=False)
    return fresh


def report_close(*, report: Report, actor: Any, now: datetime | None = None) -> Report:
    """The handling unit closes an answered report (the reporter said it is settled elsewhere)."""
    moment = now or timezone.now()
    with transaction.atomic():
        fresh, _previous = _move(_locked(report), Action.CLOSE, actor=actor, code=None, moment=moment)
        fresh.closed_at = moment
        fresh.save()
        _record(fresh, "report.closed", actor=actor, details={"by": "office"})
    return fresh


@transaction.atomic
def staff_read_record(*, report: Report, actor: User) -> None:
    """A staff read of a report leaves a trace in the audit log (nothing about the reporter)."""
    if report_for_staff(actor, report.pk) is None:
        raise NotFound()
    threads.record_staff_read("report.viewed", actor=actor, subject=report, office_id=report.office_id)


@transaction.atomic
def staff_file_read_record(*, report: Report, attachment: ReportAttachment, actor: User) -> None:
    """A staff read of a report's file (``threads.attachment_response``) is logged like the
    report's: only staff who may see the report open its files."""
    if attachment.report_id != report.pk or report_for_staff(actor, report.pk) is None:
        raise NotFound()
    threads.record_staff_read(
        "report.attachment_viewed",
        actor=actor,
        subject=report,
        office_id=report.office_id,
        attachment=attachment,
    )


# --- The clock ------------------------------------------------------------------------------------


def _escalation_recipients(report: Report, level: int) -> tuple[User, ...]:
    people = User.objects.filter(is_active=True)
    if level == 1 and report.office_id is not None:
        people = people.filter(role=Role.SUPERVISOR, office_memberships__office_id=report.office_id)
    else:
        people = people.filter(role=Role.NATIONAL_ADMIN)
    return tuple(people.distinct().order_by("pk"))


def report_escalate(*, report: Report, actor: SystemActor, now: datetime | None = None) -> int:
    """An overdue report goes up a level: first to the office's supervisors, then (still
    overdue REPORT_ESCALATE_AFTER_DAYS working days later) to the national unit; a report of
    the national unit straight to it. Returns the new level (the same when nothing was due)."""
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _locked(report)
        if fresh.status not in OWED_BY_OFFICE or not threads.is_overdue(fresh.office, fresh.due, moment):
            return fresh.escalation
        if fresh.escalation >= 2:
            return fresh.escalation
        if fresh.escalation == 1:
            wait_until = threads.due_after(
                fresh.office, fresh.escalated_at or moment, settings.REPORT_ESCALATE_AFTER_DAYS
            )
            if threads.today_at(fresh.office, moment) <= wait_until:
                return fresh.escalation
        level = 2 if fresh.escalation == 1 or fresh.office_id is None or fresh.about_staff else 1
        step(fresh.status, Action.ESCALATE, Who.SYSTEM)
        fresh.escalation = level
        fresh.escalated_at = moment
        fresh.escalated_ever = True
        fresh.save(update_fields=["escalation", "escalated_at", "escalated_ever"])
        recipients = _escalation_recipients(fresh, level)
        events.record(
            "report.escalated",
            actor=actor,
            subject=fresh,
            office_id=fresh.office_id,
            details={
                "level": level,
                "due": fresh.due.isoformat() if fresh.due else None,
                "told": len(recipients),
            },
        )
        events.publish(ReportEscalated(report=fresh, level=level, recipients=recipients))
    return level


def report_auto_close(*, report: Report, actor: SystemActor, now: datetime | None = None) -> bool:
    """Close an answered report after REPORT_SILENCE_DAYS working days of the reporter's silence."""
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _locked(report)
        if fresh.status != ReportStatus.ANSWERED or fresh.answered_at is None:
            return False
        end = threads.due_after(fresh.office, fresh.answered_at, settings.REPORT_SILENCE_DAYS)
        if threads.today_at(fresh.office, moment) <= end:
            return False
        fresh, _previous = _move(fresh, Action.AUTO_CLOSE, actor=actor, code=None, moment=moment)
        fresh.closed_at = moment
        fresh.save()
        _record(fresh, "report.closed", actor=actor, details={"by": "silence"})
    return True


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalate every overdue report that is due a step up; how many went up."""
    moment = now or timezone.now()
    earliest_today = threads.today_at(None, moment) + timedelta(days=1)  # zones differ by hours
    candidates = Report.objects.filter(status__in=OWED_BY_OFFICE, due__lt=earliest_today, escalation__lt=2)
    moved = 0
    for report in candidates.order_by("due", "id"):
        before = report.escalation
        if report_escalate(report=report, actor=WORKER, now=moment) != before:
            moved += 1
    return moved


def close_silent(now: datetime | None = None) -> int:
    """Close the answered reports left silent past REPORT_SILENCE_DAYS working days."""
    moment = now or timezone.now()
    candidates = Report.objects.filter(status=ReportStatus.ANSWERED, answered_at__lt=moment)
    return sum(
        report_auto_close(report=report, actor=WORKER, now=moment) for report in candidates.order_by("id")
    )


# --- Retention (UU PDP Pasal 44) -------------------------------------------------------------------


@transaction.atomic
def reports_texts_erase(*, reports: list[Report], actor: SystemActor) -> int:
    """A report whose handling ended before its retention period loses what identifies or was
    written by anyone: its subject, the referral, every message, every attached file, the link to
    the reporter's account and an anonymous reporter's code. What remains (reference, kind,
    topic, office, tier, dates, status, escalation) is what the LAPOR! figures count."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied()
    ids = [r.pk for r in reports if r.status in FINAL]
    if not ids:
        return 0
    threads.attachments_delete(ReportAttachment.objects.filter(report_id__in=ids))
    ReportMessage.objects.filter(report_id__in=ids).update(body="")
    ReportMessage.objects.filter(report_id__in=ids, from_office=False).update(author=None)
    Report.objects.filter(pk__in=ids).update(subject="", referral="", reporter=None, code_hash="")
    erased = list(Report.objects.filter(pk__in=ids).order_by("pk"))
    events.record_many(
        "report.texts_erased",
        actor=actor,
        subjects=[(r, r.office_id) for r in erased],
        details={"retention_years": threads.retention_years()},
    )
    return len(erased)
