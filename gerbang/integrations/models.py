"""The partner agencies Gerbang exchanges with, their keys and grants, the log of every
exchange, and the checks a case waits for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.core.fields import EncryptedJSONField


class Agency(models.Model):
    """A partner agency: the civil registry, the police, the foreign ministry, an airline."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # The agency's own name, as it writes it (a proper name: not translated).
    name = models.CharField(_("name"), max_length=150)
    # Where Gerbang asks it (its security server); empty when Gerbang asks it nothing.
    base_url = models.URLField(_("address of its service"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")

    def __str__(self) -> str:
        return self.name


class AgencyKey(models.Model):
    """One of an agency's public keys (Ed25519). A key is used from ``added_at`` until it is
    retired; two overlap while an agency rotates its key (docs/partners.md)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="keys")
    key_id = models.CharField(_("key id"), max_length=100, unique=True)
    public_pem = models.TextField(_("public key (PEM)"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    added_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["-added_at"]

    def __str__(self) -> str:
        return self.key_id


class InboundService(models.TextChoices):
    """What a partner may ask Gerbang, each through its own endpoint, each answered minimally."""

    # The police (a passport found or shown): has it been reported lost, or replaced by a new one?
    PASSPORT_CANCELLATION = "passport-cancellation", _("Has this passport been reported lost or replaced?")


class Grant(models.Model):
    """An agency may ask one inbound service, on this legal basis, at most this often."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="grants")
    service = models.CharField(_("service"), max_length=40, choices=InboundService.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    per_minute = models.PositiveIntegerField(_("requests a minute at most"), default=60)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "service"], condition=Q(revoked_at__isnull=True), name="one_live_grant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.service}"


class Direction(models.TextChoices):
    INBOUND = "in", _("A partner asked Gerbang")
    OUTBOUND = "out", _("Gerbang asked a partner")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class Exchange(models.Model):
    """One question and its answer (or why there was none), with the signatures that prove
    them. Every row is also an event of the public log (``exchange.*``): either side can later
    show what was asked, by whom, why, and what was answered."""

    direction = models.CharField(max_length=3, choices=Direction.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges"
    )
    service = models.CharField(_("service"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # Why it was refused or failed: a stable code (protocol.Refusal.reason, or a failure of ours).
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    key_id = models.CharField(max_length=100, blank=True)
    nonce = models.CharField(max_length=64, blank=True)
    # Set only on a question accepted: the database refuses the same nonce twice (replay).
    accepted_nonce = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL: not unique
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    request_digest = models.CharField(max_length=120, blank=True)
    response_digest = models.CharField(max_length=120, blank=True)
    signature_input = models.TextField(blank=True)
    signature = models.TextField(blank=True)
    response_signature_input = models.TextField(blank=True)
    response_signature = models.TextField(blank=True)
    # Outbound: the case asked about and the person who asked (or the system).
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duration_ms = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "accepted_nonce"], name="nonce_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.service} {self.outcome}"


class CheckKind(models.TextChoices):
    IDENTITY = "identity", _("Identity with the civil registry")
    WATCHLIST = "watchlist", _("Watch lists and travel bans")
    MOFA_PASSPORT = "mofa_passport", _("Foreign ministry: diplomatic or service passport request")
    MOFA_SPONSOR = "mofa_sponsor", _("Foreign ministry: standing of the sponsor")


class CheckStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the partner")
    ANSWERED = "answered", _("Answered")
    VERIFIED_MANUALLY = "manual", _("Verified by an officer")


class Resolution(models.TextChoices):
    """An officer's finding on a watch-list hit or possible hit."""

    CLEARED = "cleared", _("Not the same person: cleared")
    CONFIRMED = "confirmed", _("The same person: the listing applies")


# The watch-list answers an officer must resolve.
TO_RESOLVE = frozenset({"hit", "possible_hit"})


class ExternalCheck(models.Model):
    """One check a case waits for. While ``WAITING`` it is asked again by itself, later and
    later (``next_attempt_at``); the officer sees why it waits."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="external_checks"
    )
    kind = models.CharField(_("check"), max_length=20, choices=CheckKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=CheckStatus.choices, default=CheckStatus.WAITING)
    # The fields asked about (never more than the check needs).
    fields = models.JSONField(default=list)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt brought no answer: a reason code of ``client.Failure``.
    last_failure = models.CharField(max_length=40, blank=True)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    # The partner's answer, per field ("match" / "no_match" / "not_answered") or its verdict.
    result = EncryptedJSONField(default=dict, blank=True)
    # One word for the answer: match, mismatch, partial (identity); kept in clear for counts.
    verdict = models.CharField(max_length=20, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A watch-list hit or possible hit, resolved by an officer (the reason is the event's note).
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="one_check_of_a_kind")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} of {self.application_id}: {self.status}"

    @property
    def awaits_resolution(self) -> bool:
        return self.verdict in TO_RESOLVE and not self.resolution


class CancelledPassport(models.Model):
    """A passport Gerbang knows is no longer valid: reported lost in a submitted application, or
    replaced by a new passport that was collected. Only the keyed hash of its number and its
    holder's birth date is kept, for the police's question (``inbound.passport_cancellation``)."""

    class Reason(models.TextChoices):
        LOST = "lost", _("Reported lost")
        REPLACED = "replaced", _("Replaced")

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="+")
    passport_index = models.CharField(max_length=64, db_index=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reason"], name="one_cancellation_per_reason")
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.application_id})"
