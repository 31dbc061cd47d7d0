"""Consultations (konsultasi): a question a person puts to an office, in writing, and the thread
of answers and follow-ups that settles it. The office answers within a service standard counted
in its working days; the asker is told of each answer through the notification outbox.

Message texts may hold personal data (numbers, addresses, circumstances) and are encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.core.fields import EncryptedTextField


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


class ConsultationMessage(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Written by office staff (an answer) rather than by the asker (the question or a follow-up).
    from_office = models.BooleanField(default=False)
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.pk}"
