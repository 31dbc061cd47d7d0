"""The notification outbox: a row per message to send, written in the same transaction as the
event it tells about (DESIGN convention 2). A worker delivers the rows; nothing is sent from
inside a transaction, and a row is never lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    CREATED = "created", _("Created")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    TEMPORARY_FAILURE = "temporary_failure", _("Temporary failure")
    PERMANENT_FAILURE = "permanent_failure", _("Permanent failure")


class OutboxMessage(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    # What happened, e.g. "application.correction_requested"; selects the message template.
    kind = models.CharField(max_length=64, db_index=True)
    # The same key is never written twice, so a retried transaction cannot duplicate a message.
    dedup_key = models.CharField(max_length=150, unique=True)
    # Ids and codes the template needs; never personal data beyond what the message shows.
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.CREATED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.status})"
