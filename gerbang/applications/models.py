"""Applications (permohonan): the case, its documents, the results of the automatic checks and
the corrections an officer asks for. The case's states are in ``workflow``; its timeline is
read from the event stream (``core.Event``)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.applications.workflow import FINAL_STATES, State
from gerbang.core.fields import EncryptedJSONField, EncryptedTextField
from gerbang.core.storage import private_storage


class Application(models.Model):
    # Assigned at submission (see ``numbers``); drafts have none.
    number = models.CharField(_("application number"), max_length=40, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    # A parent applying for their child from their own account.
    for_child = models.BooleanField(_("for a child"), default=False)
    office = models.ForeignKey("catalog.Office", on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="applications")
    form_key = models.CharField(max_length=32)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Optimistic locking: every change increments it; a stale change is refused.
    version = models.PositiveIntegerField(default=1)
    # The answers as typed, valid or not, so nothing is ever lost: {field name: text}.
    answers = EncryptedJSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=32, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    # Keyed hash of the subject's NIK (duplicate detection) and of number + birth date (tracking).
    subject_nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    tracking_key = models.CharField(max_length=64, blank=True, db_index=True)
    terms = models.ForeignKey(
        "catalog.ServiceTerms", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fee = models.PositiveIntegerField(_("fee (rupiah)"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    payment_due_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    # Working-day due date of the decision, from the service standard (office calendar).
    due_date = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # When its personal fields were erased (its retention period ended, UU PDP): the answers,
    # the documents' files and the keyed hashes of the person are gone; ids, codes, states and
    # times stay for the statistics and the ledger.
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["office", "state", "due_date"]),
            models.Index(fields=["applicant", "-created_at"]),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def subject_name(self) -> str:
        return str(self.answers.get("full_name", "")).strip()


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    NEEDS_CORRECTION = "needs_correction", _("Needs correction")


def document_path(instance: Any, filename: str) -> str:
    """A random name: nothing about the applicant or the original file name is in the path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    # "req-<requirement id>" for a catalogue requirement, "photo" for the applicant's photo.
    slot = models.CharField(max_length=40)
    requirement = models.ForeignKey(
        "catalog.Requirement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to=document_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # 64-bit difference hash of an image as 16 hex digits, and its four 16-bit bands: two
    # images within 3 bits of each other share at least one band, which the index finds.
    image_hash = models.CharField(max_length=16, blank=True)
    hash_band_0 = models.CharField(max_length=4, blank=True, db_index=True)
    hash_band_1 = models.CharField(max_length=4, blank=True, db_index=True)
    hash_band_2 = models.CharField(max_length=4, blank=True, db_index=True)
    hash_band_3 = models.CharField(max_length=4, blank=True, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    original_name = EncryptedTextField(blank=True)
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    # A replaced upload stays (history) but is no longer current.
    is_current = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slot", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "slot"],
                condition=models.Q(is_current=True),
                name="one_current_document_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.slot}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CheckKind(models.TextChoices):
    MRZ = "mrz", _("Passport machine-readable lines")
    PHOTO = "photo", _("Photo rules")
    DUPLICATE_IMAGE = "duplicate_image", _("Same picture in another application")
    DUPLICATE_NIK = "duplicate_nik", _("Same NIK in another person's application")


class CheckOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Needs fixing")
    FLAGGED = "flagged", _("Flagged for the officer")


class CheckResult(models.Model):
    """The outcome of one automatic check, re-run whenever its input changes."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    outcome = models.CharField(max_length=10, choices=CheckOutcome.choices)
    # Message codes and their parameters; the text is produced in the reader's language.
    findings = models.JSONField(default=list, blank=True)
    # Flags about other people's applications are for officers only.
    visible_to_applicant = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kind}={self.outcome}"


class CorrectionTarget(models.TextChoices):
    DOCUMENT = "document", _("Document")
    FIELD = "field", _("Answer")


class Correction(models.Model):
    """One item an officer asks the applicant to fix; only these may change until resubmission."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="corrections")
    target_kind = models.CharField(max_length=10, choices=CorrectionTarget.choices)
    # A document slot or a field name.
    target = models.CharField(max_length=40)
    message = models.TextField(_("what to fix"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # The applicant changed the item; resolved when the application went back to the officer.
    addressed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.target_kind}:{self.target}"


# --- Assisted applications -------------------------------------------------------------------


class ConsentMethod(models.TextChoices):
    SIGNATURE = "signature", _("Signature drawn on the screen")
    SCAN = "scan", _("Signed printed form, scanned")


def consent_path(instance: Any, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consents/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class AssistedIntake(models.Model):
    """An application an officer opened at the office (or a mobile service post) on behalf of
    a walk-in person: the person's recorded consent (how, when, before which officer), and
    whether the person has taken the case over online. Until then, officers of the office with
    ``Perm.CASE_ASSIST`` act in the applicant's part (``selectors.case.actor_of``), each step
    recorded with the officer as its actor."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="assisted")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_method = models.CharField(_("consent given by"), max_length=12, choices=ConsentMethod.choices)
    # The signature (PNG, re-encoded) or the scan of the signed form (PDF or picture, checked as
    # any document is); erased with the case's personal data.
    consent_file = models.FileField(
        storage=private_storage, upload_to=consent_path, max_length=200, blank=True
    )
    consent_content_type = models.CharField(max_length=40)
    # Which wording the person agreed to (``consents.ASSISTED_PURPOSE``).
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField(_("consent recorded"))
    taken_over_at = models.DateTimeField(_("taken over online"), null=True, blank=True)

    class Meta:
        verbose_name = _("assisted application")
        verbose_name_plural = _("assisted applications")

    def __str__(self) -> str:
        return f"assisted:{self.application_id}"

    @property
    def is_open(self) -> bool:
        """Officers may still act for the person (they have not taken the case over)."""
        return self.taken_over_at is None


class TakeoverCode(models.Model):
    """A one-time code with which the person takes their assisted case over online. Only a
    keyed hash of it is stored; it is printed on the summary and sent by SMS, works once, and
    expires. Issuing a new one voids the previous (``services.assisted``)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="takeover_codes")
    # Random; with the server's secret it makes the code (``assisted_codes.code_for``), so the
    # printed summary and the SMS show the same code without the code being stored.
    nonce = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"takeover:{self.application_id}:{self.pk}"

    def is_usable(self, now: Any = None) -> bool:
        moment = now or timezone.now()
        return self.used_at is None and self.voided_at is None and self.expires_at > moment
