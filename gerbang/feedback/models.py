"""Consultations (konsultasi): a question a person puts to an office, in writing, and the thread
of answers and follow-ups that settles it. The office answers within a service standard counted
in its working days; the asker is told of each answer through the notification outbox.

Reports (SP4N-LAPOR!): an aspiration, a complaint or a request for information, verified, routed,
answered, followed up and closed by the table in ``lifecycle``; anonymous (followed with a code
kept only as a hash), confidential (named only to the national unit) or open.

Both keep their threads in the one shape ``ThreadMessage``; ``threads`` holds what they share
(reference numbers, checks of a message, working-day timers, attachments, the audit of reads);
their files share the one shape ``ThreadAttachment`` and its storage rule (``attachment_path``).
Message texts may hold personal data (numbers, addresses, circumstances) and are encrypted at rest.
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerbang.core.fields import EncryptedTextField
from gerbang.core.storage import private_storage


class ConsultationStatus(models.TextChoices):
    # The office owes an answer (a new question, or a follow-up after an answer).
    WAITING = "waiting", _("Waiting for the office")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ConsultationTopic(models.TextChoices):
    REQUIREMENTS = "requirements", _("Requirements and documents")
    APPLICATION = "application", _("My application")
    PAYMENT = "payment", _("Fees and payment")
    APPOINTMENT = "appointment", _("Appointment and visit")
    STAY = "stay", _("Visas and stay permits")
    OTHER = "other", _("Something else")


class Consultation(models.Model):
    # A short reference to quote on the phone or at the counter, e.g. KONS-7K3Q-H9TX.
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations"
    )
    office = models.ForeignKey("catalog.Office", on_delete=models.PROTECT, related_name="consultations")
    # The asker's own case the question is about, if any.
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=ConsultationTopic.choices)
    subject = EncryptedTextField(_("subject"))
    status = models.CharField(
        _("status"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.WAITING
    )
    # The language the question was asked in (answers are expected in it).
    language = models.CharField(max_length=8, default="id")
    # When the office's answer is due (working days of the office); set again by a follow-up.
    answer_due = models.DateField(_("answer due"))
    # When the office owes an answer since (the question or the latest follow-up).
    waiting_since = models.DateTimeField(default=timezone.now)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    last_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["office", "status", "answer_due"]),
            models.Index(fields=["asker", "-updated_at"]),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.reference

    @property
    def status_label(self) -> str:
        return str(ConsultationStatus(self.status).label)

    @property
    def topic_label(self) -> str:
        return str(ConsultationTopic(self.topic).label)


class ThreadMessage(models.Model):
    """One message of a thread (a consultation's or a report's): from the person or from the
    office, its text encrypted at rest. Both threads are this one shape (``feedback.threads``
    holds the rules they share)."""

    # Written by office staff (an answer) rather than by the person (the question, a follow-up).
    from_office = models.BooleanField(default=False)
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class ConsultationMessage(ThreadMessage):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ThreadMessage.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.pk}"


# --- Reports (SP4N-LAPOR!): aspirations, complaints and information requests ---------------------


class ReportKind(models.TextChoices):
    ASPIRATION = "aspiration", _("Aspiration (a suggestion)")
    COMPLAINT = "complaint", _("Complaint")
    INFORMATION = "information", _("Request for information")


class ReportTopic(models.TextChoices):
    """What a report is about: the category a LAPOR! coordinator files it under, and the counts
    per office are split by."""

    SERVICE = "service", _("Service: procedure, waiting or delay")
    CONDUCT = "conduct", _("Conduct of staff")
    CHARGES = "charges", _("Fees or illegal charges (pungli)")
    BROKERS = "brokers", _("Brokers (calo) or scams")
    FACILITIES = "facilities", _("Facilities and accessibility")
    ONLINE = "online", _("Website, app or online payment")
    POLICY = "policy", _("Rules and policy")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    # Waiting for verification (within REPORT_VERIFY_DAYS working days).
    SUBMITTED = "submitted", _("Waiting for verification")
    # Postponed: the reporter is asked for more information.
    NEEDS_INFO = "needs_info", _("More information needed")
    # Not the authority's matter: referred elsewhere (final).
    REFERRED = "referred", _("Referred elsewhere")
    ARCHIVED = "archived", _("Archived")
    # Verified and routed (disposisi) to the office or national unit that owes the answer.
    ROUTED = "routed", _("Being handled")
    ANSWERED = "answered", _("Answered")
    # The reporter said the answer did not resolve it: the office follows up.
    FOLLOWED_UP = "followed_up", _("Being followed up")
    CLOSED = "closed", _("Closed")


class ReportTier(models.TextChoices):
    """Service-level tiers by kind of handling, with their working days (``TIER_DAYS``)."""

    LIGHT = "light", _("Light")
    NORMATIVE = "normative", _("Normative")
    CROSS_UNIT = "cross_unit", _("Needs work across units")
    INVESTIGATION = "investigation", _("Needs investigation")


TIER_DAYS: dict[str, int] = {
    ReportTier.LIGHT: 2,
    ReportTier.NORMATIVE: 5,
    ReportTier.CROSS_UNIT: 14,
    ReportTier.INVESTIGATION: 60,
}


def tier_label(tier: str) -> str:
    """A tier's name with its working days, e.g. "Light (2 working days)"."""
    days = TIER_DAYS[tier]
    working_days = ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}
    return f"{ReportTier(tier).label} ({working_days})"


def tier_choices() -> list[tuple[str, str]]:
    return [(str(tier), tier_label(tier)) for tier in ReportTier]


DEFAULT_TIER: dict[str, str] = {
    ReportKind.ASPIRATION: ReportTier.NORMATIVE,
    ReportKind.COMPLAINT: ReportTier.NORMATIVE,
    ReportKind.INFORMATION: ReportTier.LIGHT,
}


class ReportPrivacy(models.TextChoices):
    OPEN = "open", _("My name may be shown to the office")
    CONFIDENTIAL = "confidential", _("Confidential: only the national complaints unit sees my name")
    ANONYMOUS = "anonymous", _("Anonymous: nobody knows who I am (follow it with a secret code)")


class Report(models.Model):
    # E.g. LAPOR-7K3Q-H9TX: quoted by the reporter, the office and a LAPOR! coordinator.
    reference = models.CharField(_("tracking id"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    topic = models.CharField(
        _("topic"), max_length=12, choices=ReportTopic.choices, default=ReportTopic.OTHER
    )
    # The reporter; none for an anonymous report (followed with the secret code instead).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    privacy = models.CharField(_("privacy"), max_length=12, choices=ReportPrivacy.choices)
    # The salted hash of an anonymous report's follow-up code (the code itself is shown once).
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # About a member of staff (whistle-blowing): handled by the national unit only.
    about_staff = models.BooleanField(default=False)
    # The office the report is routed to; none: the national complaints unit.
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    # The reporter's own case it is about, if any.
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    subject = EncryptedTextField(_("subject"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    tier = models.CharField(_("tier"), max_length=14, choices=ReportTier.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=10, default="web")
    language = models.CharField(max_length=8, default="id")
    # Not our authority: where the reporter should go instead.
    referral = EncryptedTextField(_("referral"), blank=True)
    # The date the next step is owed by (verification, an answer, a follow-up); none when nothing is owed.
    due = models.DateField(_("due"), null=True, blank=True)
    # 0: not escalated; 1: to the office's supervisors; 2: to the national unit.
    escalation = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_ever = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["office", "status", "due"]),
            models.Index(fields=["reporter", "-updated_at"]),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.reference

    @property
    def status_label(self) -> str:
        return str(ReportStatus(self.status).label)

    @property
    def kind_label(self) -> str:
        return str(ReportKind(self.kind).label)

    @property
    def topic_label(self) -> str:
        return str(ReportTopic(self.topic).label)

    @property
    def tier_label(self) -> str:
        return tier_label(self.tier) if self.tier else ""

    @property
    def is_national(self) -> bool:
        return self.office_id is None

    @property
    def hides_reporter(self) -> bool:
        return self.privacy != ReportPrivacy.OPEN


class ReportMessage(ThreadMessage):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    # None: the anonymous reporter.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(ThreadMessage.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.report_id}:{self.pk}"


def attachment_path(instance: ThreadAttachment, filename: str) -> str:
    """A random name in the thread's folder: nothing about the writer or the original file name
    is in the path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.FOLDER}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class ThreadAttachment(models.Model):
    """A file given with a thread's message (a consultation's or a report's), checked like an
    application's document (``threads.inspect_uploads``), stored under a random name
    (``attachment_path``) and opened through ``threads.attachment_response``."""

    # The folder of the private storage the thread's files go to.
    FOLDER: ClassVar[str]

    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class ReportAttachment(ThreadAttachment):
    FOLDER = "reports"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ReportMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )

    class Meta(ThreadAttachment.Meta):
        pass


class ConsultationAttachment(ThreadAttachment):
    FOLDER = "consultations"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ConsultationMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )

    class Meta(ThreadAttachment.Meta):
        pass
