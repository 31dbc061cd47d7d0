"""Data-protection requests (UU PDP) and the consents people gave."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gerbang.core.fields import EncryptedTextField


class Kind(models.TextChoices):
    # Pasal 7 and 32: access to, and a copy of, everything held.
    ACCESS = "access", _("A copy of my data")
    # Pasal 6 and 30: correcting what is wrong.
    CORRECTION = "correction", _("Correcting my data")
    # Pasal 8, 43 and 44: ending processing and erasing.
    ERASURE = "erasure", _("Deleting my account and data")
    # Pasal 9 and 40: withdrawing a consent.
    WITHDRAWAL = "withdrawal", _("Withdrawing a consent")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class Concerns(models.TextChoices):
    """What a correction is about (the person's own profile they correct themselves)."""

    APPLICATION = "application", _("An application (what it says, its documents)")
    BOOKING = "booking", _("A booking or a visit")
    PAYMENT = "payment", _("A bill or a payment")
    REPORT = "report", _("A question or a complaint")
    OTHER = "other", _("Something else")


class Request(models.Model):
    """One request of a person about their data, with the time by which it must be answered."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("request"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # What the person wrote (a correction: what is wrong and what is right). Personal: encrypted.
    details = EncryptedTextField(_("details"), blank=True, default="")
    # Where the data to correct is ("profile", "application", ...): a code, not free text.
    concerns = models.CharField(_("concerns"), max_length=32, blank=True)
    # The answer the person reads (what was done, or why it was refused).
    answer = EncryptedTextField(_("answer"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A withdrawal: which purpose.
    purpose = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"])]
        verbose_name = _("data-protection request")
        verbose_name_plural = _("data-protection requests")

    def __str__(self) -> str:
        return f"{self.reference} {self.kind}"

    @property
    def reference(self) -> str:
        return f"PDP-{self.pk:06d}" if self.pk else "PDP-"

    @property
    def concerns_label(self) -> str:
        return str(Concerns(self.concerns).label) if self.concerns in Concerns.values else self.concerns

    @property
    def outcome_label(self) -> str:
        """What came of it, in words: a correction is corrected or not; the rest done or refused."""
        if self.kind == Kind.CORRECTION and self.status == Status.DONE:
            return str(_("Corrected"))
        if self.kind == Kind.CORRECTION and self.status == Status.REFUSED:
            return str(_("Not corrected"))
        return str(self.get_status_display())

    @property
    def answered_at_once(self) -> bool:
        """Answered by the system as it was received (a copy, a withdrawal, an erasure)."""
        return self.kind != Kind.CORRECTION


class Consent(models.Model):
    """A consent given to one purpose, in one version of its text; withdrawn or not."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=64)
    version = models.CharField(max_length=32)
    given_at = models.DateTimeField()
    via = models.CharField(max_length=16, default="web")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose"])]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} v{self.version}"
