"""What consultations and reports share, in one place: the thread (a subject, messages from the
person and from the office, checked the same way, a reply refused when a newer message arrived
unread), reference numbers, working-day timers (a due date in the office's working days, how many
remain, overdue), attachments (checked like application documents, stored under one rule, opened
through one view helper that records a staff read) and the audit of staff reads.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.applications.documents import InspectedFile, inspect_upload
from gerbang.applications.numbers import ALPHABET
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core import events
from gerbang.core.calendar import local_date, years_later
from gerbang.core.exceptions import Conflict, ErrorCode, ValidationError
from gerbang.core.ratelimit import Limit, enforce
from gerbang.feedback.models import ThreadAttachment

SUBJECT_MAX = 160
BODY_MIN = 10
BODY_MAX = 4000
SUBJECT_MISSING = _("Write a short subject for your question, e.g. “Passport for my child”.")
# Said by the forms (Django fills in the numbers) before the service's own check.
SUBJECT_TOO_SHORT = _("Write a subject of at least %(limit_value)d characters (it has %(show_value)d).")
BODY_MISSING = _("The message is empty: write what you want to ask or answer (no passwords or card numbers).")
BODY_TOO_SHORT = _("Write your message in at least %(limit_value)d characters (it has %(show_value)d).")
# Follow-ups and answers: enough for a lively thread, too few for a flood.
MESSAGES_PER_HOUR = 30
MESSAGES_LIMIT = Limit("consultation-message", MESSAGES_PER_HOUR, 60 * 60)
# Attachments of one report or message.
MAX_ATTACHMENTS = 5


def clean_subject(subject: str, *, missing: Any = SUBJECT_MISSING) -> str:
    text = " ".join((subject or "").split())
    if len(text) < 3:
        raise ValidationError(missing, field="subject")
    if len(text) > SUBJECT_MAX:
        raise ValidationError(
            _("The subject is too long: at most %(max)d characters.") % {"max": SUBJECT_MAX}, field="subject"
        )
    return text


def clean_body(body: str) -> str:
    text = (body or "").strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError(BODY_MISSING, field="body")
    if len(text) < BODY_MIN:
        raise ValidationError(
            _("Write your message in at least %(min)d characters.") % {"min": BODY_MIN}, field="body"
        )
    if len(text) > BODY_MAX:
        raise ValidationError(
            _("The message is too long: at most %(max)d characters (it has %(count)d).")
            % {"max": BODY_MAX, "count": len(text)},
            field="body",
        )
    return text


def throttle(limit: Limit, subject: str, message: Any = None) -> None:
    enforce(
        (limit, subject),
        message=message or _("You have sent many messages in a short time. Please try again later."),
    )


def message_body(body: str, writer: str) -> str:
    """A follow-up's or an answer's text, checked, once the writer is within their message limit."""
    text = clean_body(body)
    throttle(MESSAGES_LIMIT, writer)
    return text


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_reference(prefix: str, model: type[models.Model]) -> str:
    """A short unique reference to quote on the phone or at the counter, e.g. KONS-7K3Q-H9TX."""
    while True:
        random_part = random_code(8)
        reference = f"{prefix}-{random_part[:4]}-{random_part[4:]}"
        if not model._default_manager.filter(reference=reference).exists():
            return reference


def check_seen(thread: models.QuerySet[Any], seen_message_id: int | None) -> None:
    """Refuse a reply written without reading a message that arrived meanwhile."""
    if seen_message_id is None:
        return
    latest = thread.order_by("-id").values_list("id", flat=True).first()
    if latest is not None and latest > seen_message_id:
        raise Conflict(
            _("A new message arrived while you were writing. Read it first; your text is kept below."),
            code=ErrorCode.NEW_MESSAGE,
        )


# --- Working-day timers ---------------------------------------------------------------------------


def zone_of(office: Office | None) -> str:
    return office.time_zone if office is not None else settings.TIME_ZONE


def today_at(office: Office | None, now: datetime | None = None) -> date:
    """Today's date where the office is (the national unit: the country's capital)."""
    return local_date(now or timezone.now(), zone_of(office))


def due_after(office: Office | None, since: datetime, working_days: int) -> date:
    """``working_days`` of the office (weekends, national holidays, cuti bersama and the office's
    closures excluded) after the day of ``since`` where the office is."""
    start = local_date(since, zone_of(office))
    calendar = catalog.working_calendar(office, start, horizon_days=working_days * 2 + 60)
    return calendar.add_working_days(start, working_days)


@dataclass(frozen=True)
class Timer:
    """A due date as both sides see it: working days left (0 on the day), or overdue by some."""

    due: date | None
    left: int
    overdue: int

    @property
    def running(self) -> bool:
        return self.due is not None


def timer(office: Office | None, due: date | None, now: datetime | None = None) -> Timer:
    if due is None:
        return Timer(None, 0, 0)
    today = today_at(office, now)
    if today <= due:
        calendar = catalog.working_calendar(office, today, horizon_days=(due - today).days + 1)
        return Timer(due, calendar.working_days_between(today, due), 0)
    calendar = catalog.working_calendar(office, due, horizon_days=(today - due).days + 1)
    return Timer(due, 0, max(1, calendar.working_days_between(due, today)))


def is_overdue(office: Office | None, due: date | None, now: datetime | None = None) -> bool:
    return due is not None and today_at(office, now) > due


# --- Attachments ----------------------------------------------------------------------------------


AttachmentT = TypeVar("AttachmentT", bound=ThreadAttachment)


@dataclass(frozen=True)
class Upload:
    """A file given with a message (a question, a report, a reply): its content and its name."""

    file: IO[bytes]
    name: str


def uploads_of(request: HttpRequest, field: str = "attachments") -> list[Upload]:
    """The files a page's form sent in ``field`` (judged by the service, not here)."""
    return [Upload(file=f, name=f.name or "file") for f in request.FILES.getlist(field)]


def inspect_attachment(upload: IO[bytes], *, field: str = "attachments") -> InspectedFile:
    """An attachment, judged like an application's document (by content, size, image rules)."""
    return inspect_upload(upload, field=field)


def inspect_uploads(uploads: list[Upload] | None) -> list[tuple[InspectedFile, str]]:
    """A message's files, each judged (``inspect_attachment``), at most ``MAX_ATTACHMENTS``; done
    before anything is written, so a refused file leaves the message unsent and the text kept."""
    uploads = uploads or []
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}, field="attachments"
        )
    return [(inspect_attachment(upload.file), upload.name) for upload in uploads]


def store_attachments(
    model: type[ThreadAttachment], files: list[tuple[InspectedFile, str]], **owner: Any
) -> None:
    """Keep inspected files as ``model`` rows of ``owner`` (the thread and its message), in the
    caller's transaction, under the one storage rule (``models.attachment_path``)."""
    for inspected, name in files:
        attachment = model(
            **owner,
            name=(name or "file")[-120:],
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
        )
        attachment.file.save(name or "file", inspected.content, save=False)
        attachment.save()


def file_response(stored: Any, *, content_type: str, name: str) -> FileResponse:
    """A stored file, shown inline but sandboxed and never cached; callers check access."""
    response = FileResponse(stored.open("rb"), content_type=content_type, filename=name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


def attachment_response(
    attachments: models.QuerySet[AttachmentT],
    file_id: int,
    *,
    read: Callable[[AttachmentT], None] | None = None,
) -> FileResponse:
    """The one way a thread's file is opened: ``attachments`` are the files of a thread the
    caller already may see; ``read`` (for staff: their service's ``staff_file_read_record``)
    records the read before the file is sent. Another thread's file, or an id no column holds
    (2**63), is not found."""
    attachment = attachments.filter(pk=file_id).first() if 0 < file_id < 2**63 else None
    if attachment is None:
        raise Http404
    if read is not None:
        read(attachment)
    return file_response(attachment.file, content_type=attachment.content_type, name=attachment.name)


# --- The audit of staff reads ---------------------------------------------------------------------


def record_staff_read(
    code: str,
    *,
    actor: Any,
    subject: models.Model,
    office_id: int | None,
    attachment: ThreadAttachment | None = None,
) -> None:
    """A staff read of a thread (personal data), or of one of its files, leaves a trace in the
    audit log: who, what, when. The details say nothing about the person who wrote (a file by
    its id only, not its name)."""
    details = {"attachment": attachment.pk} if attachment is not None else None
    events.record(code, actor=actor, subject=subject, office_id=office_id, details=details)


# --- Retention (UU PDP Pasal 44) -------------------------------------------------------------------


def retention_years() -> int:
    """How long a consultation or a report is kept after it ended (``DATA_RETENTION_YEARS``)."""
    return int(settings.DATA_RETENTION_YEARS["reports"])


def retention_cutoff(now: datetime) -> datetime:
    """Threads that ended before this moment are past their retention period."""
    return years_later(now, -retention_years())


def kept_until(ended: datetime) -> date:
    """The day a thread that ended at ``ended`` loses its texts (the country's capital's date)."""
    return local_date(years_later(ended, retention_years()), settings.TIME_ZONE)


def attachments_delete(attachments: models.QuerySet[Any]) -> None:
    """Delete a thread's attachment rows now and their files once the transaction commits (a
    rolled-back erasure keeps them)."""
    files = list(attachments)
    attachments.delete()

    def remove_files() -> None:
        for attachment in files:
            attachment.file.delete(save=False)

    transaction.on_commit(remove_files)
