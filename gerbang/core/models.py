"""The event stream: one row per state change, written in the same transaction as the change.

The audit trail reads from it now; case timelines and the tamper-evident ledger will too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.core.fields import EncryptedTextField


class Event(models.Model):
    code = models.CharField(_("event"), max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    # The office the change concerns, when it concerns one (for office-scoped reading).
    office_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Never personal data here: names of changed fields, ids, roles; not NIKs or phone numbers.
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.code} {self.subject_type}:{self.subject_id}"


class EventNote(models.Model):
    """The free text an event carries (an officer's explanation of a decision, a counter's note,
    a moderator's reason), kept beside the event instead of in its details.

    The details are what the public ledger commits to, so they never change; this text is about
    a person and is erased when its retention period ends (``events.notes_erase``). The details
    keep ``note_sha256``, the SHA-256 of the salt and the text (``events.note_digest``): the text
    can be checked against its event while it exists, and the digest says nothing once it is gone.
    """

    event = models.OneToOneField(Event, primary_key=True, on_delete=models.CASCADE, related_name="note")
    text = EncryptedTextField(_("note"))
    salt = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("event note")
        verbose_name_plural = _("event notes")

    def __str__(self) -> str:
        return f"note of event {self.event_id}"


class SearchEntry(models.Model):
    """One indexed document: an object of the site in one language (see core.search).

    SQLite indexes the folded text in the FTS5 table ``core_search_fts``; PostgreSQL in the
    generated ``document`` column (tsvector, GIN index). Both are created by migration 0002.
    """

    kind = models.CharField(max_length=16)
    key = models.CharField(max_length=100)
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=300)
    title_folded = models.TextField()
    body_folded = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ({self.language})"


class IdempotencyKey(models.Model):
    """One use of an idempotency key (``core.idempotency``): a form sent again, or an API request
    repeated with the same ``Idempotency-Key``, gets the first result instead of a second write.

    Unique per owner (a user, or an anonymous session or address), scope (a service's name, or
    ``api``) and key: the database, not a check before the insert, decides which use was first.
    Kept for a day (``IDEMPOTENCY_KEY_HOURS``), then purged by a periodic task."""

    owner = models.CharField(max_length=80)
    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    # API: the SHA-256 of the request (method, path, query, body); the same key with another
    # request is refused.
    fingerprint = models.CharField(max_length=64, blank=True)
    # A service's first result (the primary key of what it wrote).
    result_id = models.BigIntegerField(null=True, blank=True)
    # API: the first response, stored once it is known (no status: still being answered).
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Encrypted: an answer may carry personal data.
    body = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "scope", "key"], name="core_idempotency_key_once")
        ]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
