"""A person's copy of their data: JSON for machines, a PDF to read, and a ZIP with both and
every file they uploaded (Pasal 7 and 32 UU PDP; Pasal 13 for the machine-readable copy)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import User
from gerbang.core import formatting
from gerbang.core.pdf import render_pdf
from gerbang.privacy.services import Copy

FORMAT_VERSION = 1


def as_data(copy: Copy, subject: User) -> dict[str, Any]:
    return {
        "format": f"gerbang-personal-data/{FORMAT_VERSION}",
        "generated_at": copy.request.received_at,
        "request": copy.request.reference,
        "person_id": subject.pk,
        "sections": {
            section.key: {
                "title": str(section.title),
                "rows": section.rows,
                "files": [f.name for f in section.files],
            }
            for section in copy.sections
        },
    }


def as_json(copy: Copy, subject: User) -> bytes:
    return json.dumps(as_data(copy, subject), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


# How the PDF names the keys the apps' sections use (their JSON keys stay as they are, stable and
# in English, for programs). A key missing here is shown humanised ("for_child" -> "For child").
# Words whose usual translation elsewhere is a verb or a page's title carry a context.
LABELS: dict[str, Promise] = {
    "about_staff": _("About a staff member"),
    "active": _("Active"),
    "addressed_at": _("Addressed"),
    "age_band": _("Age"),
    "amount": _("Amount"),
    "answer": _("Answer"),
    "answer_due": _("Answer due"),
    "answered_at": _("Answered"),
    "answered_with": _("Answered with"),
    "answers": _("Answers"),
    "application": _("Application"),
    "asked_at": _("Asked"),
    "assigned_to": _("Handled by"),
    "at": _("When"),
    "attachments": _("Attachments"),
    "attempts": _("Attempts"),
    "bill": _("Bill"),
    "billing_code": _("Billing code"),
    "body": _("Text"),
    "booked_at": _("Booked"),
    "booking_code": _("Booking code"),
    "browser": _("Browser"),
    "by": _("By"),
    "carried_by": _("Carried by"),
    "changed_at": _("Changed"),
    "channel": _("Channel"),
    "channels": _("Channels"),
    "check": pgettext_lazy("personal data copy", "Check"),
    "chosen": _("Chosen"),
    "closed_at": pgettext_lazy("personal data copy", "Closed"),
    "code": _("Code"),
    "concerns": _("About"),
    "codes_left": _("Codes left"),
    "confirmed": _("Confirmed"),
    "confirmed_at": _("Confirmed"),
    "consent": _("Consent"),
    "content_type": _("File type"),
    "counter": _("Counter"),
    "created_at": _("Created"),
    "currency": _("Currency"),
    "current": _("Current version"),
    "date_joined": _("Account made"),
    "date_of_birth": _("Date of birth"),
    "day": _("Day"),
    "debate": _("Debate"),
    "decided_at": _("Decided"),
    "decision_due": _("Decision due"),
    "declared_at": _("Declaration signed"),
    "delivered_at": _("Delivered"),
    "deliveries": _("Delivery"),
    "details": _("What you wrote"),
    "document": _("Document"),
    "due": _("Due"),
    "due_at": _("Answer due"),
    "education": _("Education"),
    "element": pgettext_lazy("personal data copy", "Question"),
    "email": _("Email address"),
    "email_verified_at": _("Email address verified"),
    "endpoint": _("Address of the browser's push service"),
    "ended_at": _("Ended"),
    "ends_at": _("Ends"),
    "failed_at": _("Failed"),
    "failures": _("Failed attempts"),
    "fee": _("Fee"),
    "file": _("File"),
    "filed_at": _("Filed"),
    "findings": _("Findings"),
    "first_answered_at": _("First answered"),
    "first_called_at": _("First called"),
    "for_child": _("For a child"),
    "from": _("From"),
    "full_name": _("Full name"),
    "given_at": _("Given"),
    "group": _("Kind of messages"),
    "handled_by": _("Handled by"),
    "height": _("Height (pixels)"),
    "answers_in_words": _("The answers chosen from a list, in words"),
    "history_notes": _("Notes as it moved"),
    "how": _("How"),
    "invited_at": _("Invited"),
    "issued_at": _("Issued"),
    "issued_by": _("Issued by"),
    "item": _("Item"),
    "kept_until": _("Kept until"),
    "kind": _("Kind"),
    "lane": _("Lane"),
    "language": _("Language"),
    "last_login": _("Last signed in"),
    "late": _("Late"),
    "link": _("Link"),
    "made_at": _("Made"),
    "message": _("Message"),
    "messages": _("Messages"),
    "method": _("Method"),
    "name": _("Name"),
    "nationality": _("Nationality (code)"),
    "nationality_name": _("Nationality"),
    "network_address": _("Network address"),
    "nik": _("NIK"),
    "family_card": _("Family card number"),
    "note": _("Note"),
    "number": _("Number"),
    "occasion": _("Occasion"),
    "occupation": _("Occupation"),
    "office": _("Office"),
    "office_name": _("Office"),
    "office_reply": _("The office's reply"),
    "original_name": _("File name"),
    "outcome": _("Outcome"),
    "pages": _("Pages"),
    "paid_at": _("Paid"),
    "paid_on": _("Paid on"),
    "pay_before": _("Pay before"),
    "payment_due_at": pgettext_lazy("personal data copy", "Payment due"),
    "payment_receipt_number": _("Receipt number of the payment"),
    "personal_data_erased_at": _("Personal data erased"),
    "phone": _("Phone number"),
    "posted_at": _("Posted"),
    "priority": _("Priority service"),
    "privacy": _("Who may see it"),
    "problem": _("Problem"),
    "proposal": _("Proposal"),
    "proposed_at": _("Proposed"),
    "published_at": _("Published"),
    "published_review": _("Published review"),
    "purpose": _("Purpose"),
    "question": pgettext_lazy("personal data copy", "Question"),
    "question_as_stored": _("Your question"),
    "ranking": _("Ranking"),
    "rating": _("Rating"),
    "read_at": _("Read"),
    "reason": _("Reason"),
    "received_at": _("Received"),
    "receipt_code": _("Receipt code"),
    "receipt_number": _("Receipt number"),
    "recorded_by": _("Recorded by"),
    "reference": _("Reference"),
    "referral": _("Referred to"),
    "reply": pgettext_lazy("personal data copy", "Reply"),
    "reported_at": _("Reported"),
    "requested_at": _("Requested"),
    "requested_by": _("Requested by"),
    "resolution": _("Resolution"),
    "resolved_at": _("Resolved"),
    "review": _("Review"),
    "review_status": _("Review status"),
    "role": _("Role"),
    "scale": _("Scale"),
    "score": _("Score"),
    "served_at": _("Served"),
    "served_month": _("Month served"),
    "service": _("Service"),
    "service_seconds": _("Service time (seconds)"),
    "sex": _("Sex"),
    "shown_as": _("Shown as"),
    "signed_out_at": _("Signed out"),
    "since": _("Since"),
    "size": _("Size (bytes)"),
    "slot": _("Slot"),
    "source": _("Source"),
    "stars": _("Stars"),
    "starts_at": _("Starts"),
    "state": _("State"),
    "state_changed_at": _("State changed"),
    "state_label": _("State"),
    "status": _("Status"),
    "subject": _("Subject"),
    "submitted_at": _("Submitted"),
    "supported_at": _("Supported"),
    "supporters": _("Supporters"),
    "survey": _("Survey"),
    "text": _("Text"),
    "tier": _("Level"),
    "times_moved": _("Times moved"),
    "title": _("Title"),
    "topic": _("Topic"),
    "topic_label": _("Topic"),
    "transfer_reference": _("Transfer reference"),
    "unit_answer": _("The unit's answer"),
    "uploaded_at": _("Uploaded"),
    "uploaded_by": _("Uploaded by"),
    "verified_at": _("Verified"),
    "verified_by": _("Verified by"),
    "version": _("Version"),
    "waited_seconds": _("Waiting time (seconds)"),
    "what": _("What happened"),
    "what_changed": _("What changed"),
    "width": _("Width (pixels)"),
    "withdrawn_at": _("Withdrawn"),
    "writer_role": _("Written by"),
    "written_at": _("Written"),
}
# Amounts of money (integer rupiah), written as people write them.
MONEY_KEYS = frozenset({"amount", "fee"})
# A machine code shown beside a readable one is left out of the PDF: "state" beside
# "state_label", and (by key) "code" beside "what".
SHOWN_BY = {"code": "what"}

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")
NOTHING = "—"
# WeasyPrint lays out about a thousand values a second: the PDF shows at most this many records
# of a section (the last ones, in the section's order) and says where the others are; data.json
# has them all.
PDF_ROWS = 100


def humanise(key: str) -> str:
    """A key nobody labelled, as words: "for_child" -> "For child"."""
    words = " ".join(key.replace(".", " ").replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else key


class _Labeller:
    """Turns a section's values into what a person reads, in the active language; the labels are
    translated once per copy, not once per value (a person may have thousands of records)."""

    def __init__(self) -> None:
        self.labels = {key: str(text) for key, text in LABELS.items()}
        self.yes, self.no = str(_("Yes")), str(_("No"))
        self.languages = {code: str(name) for code, name in settings.LANGUAGES}

    def label(self, key: str, extra: dict[str, str]) -> str:
        return extra.get(key) or self.labels.get(key) or humanise(key)

    def scalar(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return NOTHING
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, datetime):
            return self._moment(value)
        if isinstance(value, date):
            return formatting.day(value)
        if isinstance(value, int) and key in MONEY_KEYS:
            return formatting.rupiah(value)
        if isinstance(value, str):
            if _ISO_MOMENT.fullmatch(value):
                try:
                    return self._moment(datetime.fromisoformat(value))
                except ValueError:
                    return value
            if _ISO_DAY.fullmatch(value):
                try:
                    return formatting.day(date.fromisoformat(value))
                except ValueError:
                    return value
            if key == "language":
                return self.languages.get(value, value)
            return value
        return str(value)

    def _moment(self, value: datetime) -> str:
        if timezone.is_naive(value):
            # A wall time someone typed (not a stored moment): the site's own time.
            value = timezone.make_aware(value, ZoneInfo(str(settings.TIME_ZONE)))
        return formatting.moment(value)

    def value(self, key: str, value: Any, extra: dict[str, str]) -> str:
        """Plain text, or (for nested values) HTML of nested "label: value" lines."""
        if isinstance(value, dict):
            return self.lines(value, extra) if value else NOTHING
        if isinstance(value, list | tuple):
            if not value:
                return NOTHING
            if all(not isinstance(item, dict | list | tuple) for item in value):
                return ", ".join(self.scalar(key, item) for item in value)
            return format_html_join(
                "",
                '<div class="item">{}</div>',
                ((self.value(key, item, extra),) for item in value),
            )
        return self.scalar(key, value)

    def pairs(self, row: dict[str, Any], extra: dict[str, str]) -> list[tuple[str, str]]:
        return [
            (self.label(key, extra), self.value(key, value, extra))
            for key, value in row.items()
            if f"{key}_label" not in row and SHOWN_BY.get(key) not in row
        ]

    def lines(self, row: dict[str, Any], extra: dict[str, str]) -> str:
        return format_html_join(
            "",
            '<div class="line"><span class="label">{}:</span> {}</div>',
            self.pairs(row, extra),
        )


def pdf_sections(copy: Copy) -> list[dict[str, Any]]:
    """What the PDF shows of each section: labelled, translated, local times, nested lines."""
    labeller = _Labeller()
    sections = []
    for section in copy.sections:
        extra = {key: str(text) for key, text in section.labels.items()}
        shown = section.rows[-PDF_ROWS:]
        sections.append(
            {
                "title": str(section.title),
                "rows": [labeller.pairs(row, extra) for row in shown],
                "total": len(section.rows),
                "left_out": len(section.rows) - len(shown),
                "files": [f.name for f in section.files],
            }
        )
    return sections


def as_pdf(copy: Copy, subject: User) -> bytes:
    return render_pdf(
        "privacy/export_pdf.html",
        {
            "subject": subject,
            "request": copy.request,
            "sections": pdf_sections(copy),
            "language": get_language(),
        },
    )


def as_zip(copy: Copy, subject: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", as_json(copy, subject))
        archive.writestr("data.pdf", as_pdf(copy, subject))
        missing = []
        for section in copy.sections:
            for item in section.files:
                try:
                    with item.open() as handle:
                        archive.writestr(f"files/{item.name}", handle.read())
                except OSError:
                    # A file the database names but the storage lost: the copy still comes, and
                    # says which file could not be given back (the office can be asked about it).
                    missing.append(item.name)
        if missing:
            archive.writestr(
                "files/MISSING.txt",
                "These files are recorded but could not be read from storage:\n" + "\n".join(missing) + "\n",
            )
    return buffer.getvalue()
