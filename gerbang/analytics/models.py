"""The analytics' own tables (risk flags and forecasts); see the modules that write them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------------------------------------
# Risk flags (issue 21; ``gerbang/analytics/risk/``, docs/analytics.md). A flag tells an officer
# what deserves a second look, and why; it never decides or blocks a case. The officer's
# decision on it is recorded (``risk.flag_decided``, the reason kept as an ``EventNote``).
# ---------------------------------------------------------------------------------------------


class CaseFingerprint(models.Model):
    """What the risk rules compare across cases, for one submitted case: keyed hashes (never the
    values) of who the case is about and how they can be reached, and the numbers the anomaly
    model reads (``risk.features``). Rebuilt from the case whenever it is scanned; deleted once the
    case's personal data is erased, so an erased case is compared with nothing."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="risk_fingerprint"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(db_index=True)
    # Keyed hashes (``core.crypto.blind_index``), each under its own purpose: the subject's NIK (the
    # case's own ``subject_nik_index``), folded name and date of birth; the phone number answered;
    # the applicant account's mailbox (its address with aliases folded: dots and +tags of Gmail).
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    name_index = models.CharField(max_length=64, blank=True)
    birth_index = models.CharField(max_length=64, blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    mailbox_index = models.CharField(max_length=64, blank=True, db_index=True)
    # The anomaly model's features, by name (``risk.features.FEATURES``): numbers only.
    features = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["applicant", "submitted_at"])]

    def __str__(self) -> str:
        return f"fingerprint of {self.application_id}"

    def same_identity(self, other: CaseFingerprint) -> bool:
        """Whether two cases are about the same person as far as the hashes tell: same name and
        date of birth (the NIK is what is compared against them)."""
        return self.name_index == other.name_index and self.birth_index == other.birth_index


class RiskKind(models.TextChoices):
    SAME_NIK = "same_nik", _("Same NIK under another identity")
    SAME_IMAGE = "same_image", _("Same photo or document as another person's application")
    SHARED_CONTACT = "shared_contact", _("Many applications from one phone, mailbox or device")
    ID_MISMATCH = "id_mismatch", _("NIK or passport lines disagree with the answers")
    ANOMALY = "anomaly", _("Unusual combination (anomaly model)")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("To be checked")
    CLEARED = "cleared", _("Checked, no concern")
    CONFIRMED = "confirmed", _("Concern confirmed, referred")
    # What raised it is no longer found (the other case was corrected, the answers changed).
    WITHDRAWN = "withdrawn", _("No longer found")


# What an officer may decide on an open flag.
DECISIONS = (FlagStatus.CLEARED, FlagStatus.CONFIRMED)


class RiskFlag(models.Model):
    """One kind of risk found on one case, with its reasons (message codes and their numbers,
    rendered in the reader's language; never personal data) and the other cases involved."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="risk_flags"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RiskKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True
    )
    # [{"code": ..., "params": {...}, "cases": [application ids]}]: see ``risk.texts``.
    reasons = models.JSONField(default=list, blank=True)
    # What the flag rests on, as sorted strings (reason codes, "code:case id"): a decided flag
    # opens again only when new evidence appears beyond what the officer decided on.
    evidence = models.JSONField(default=list, blank=True)
    decided_evidence = models.JSONField(default=list, blank=True)
    # The anomaly model's score (lower: more unusual), for the anomaly kind.
    score = models.FloatField(null=True, blank=True)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_risk_flag_per_case_and_kind")
        ]
        indexes = [models.Index(fields=["status", "kind", "raised_at"])]
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kind}={self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN

    @property
    def related_case_ids(self) -> list[int]:
        seen: dict[int, None] = {}
        for reason in self.reasons:
            for case_id in reason.get("cases", ()):
                seen[int(case_id)] = None
        return list(seen)


class RiskModel(models.Model):
    """A fitted anomaly model, kept as what it was fitted on (numbers only, no identifiers), never
    as a pickle: every process builds the same forest again from these rows and the seed
    (``risk.model``). ``digest`` is the SHA-256 of everything else; a row whose digest does not
    match is never used."""

    fitted_at = models.DateTimeField(default=timezone.now)
    features = models.JSONField()  # feature names, in column order
    training = models.JSONField()  # rows of feature values (raw units), in no particular order
    typical = models.JSONField()  # each feature's median over the training rows (raw units)
    threshold = models.FloatField()  # a score below it is unusual
    training_scores = models.JSONField()  # the training rows' scores, sorted (for "more unusual than")
    seed = models.PositiveIntegerField()
    trees = models.PositiveSmallIntegerField()
    sklearn_version = models.CharField(max_length=20)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-fitted_at", "-id"]

    def __str__(self) -> str:
        return f"risk model {self.pk} ({len(self.training)} cases)"


# --------------------------------------------------------------------------------- end of risk
