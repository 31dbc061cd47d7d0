"""The notification outbox and its deliveries.

An ``OutboxMessage`` is written in the same transaction as the event it tells about (DESIGN
convention 2); its dedup key makes a retried transaction harmless. A worker then fans it out to
one ``Delivery`` per channel (email, SMS, in-app inbox, push) and works each delivery through
created → sending → delivered, or a temporary failure (retried with growing delays), a
permanent failure, or a technical failure (our own error). Failed deliveries are dead letters
an administrator can retry. Nothing is sent from inside a transaction, and nothing is lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    INBOX = "inbox", _("In-app inbox")
    PUSH = "push", _("Browser notification")


class DeliveryStatus(models.TextChoices):
    CREATED = "created", _("Created")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    TEMPORARY_FAILURE = "temporary_failure", _("Temporary failure")
    PERMANENT_FAILURE = "permanent_failure", _("Permanent failure")
    TECHNICAL_FAILURE = "technical_failure", _("Technical failure")


class OutboxMessage(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    # What happened, e.g. "application.request_correction"; selects the message template.
    kind = models.CharField(max_length=64, db_index=True)
    # The same key is never written twice, so a retried transaction cannot duplicate a message.
    dedup_key = models.CharField(max_length=150, unique=True)
    # Ids and codes the template needs; never personal data beyond what the message shows.
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When the deliveries (one per channel) were created.
    fanned_out_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Delivery(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.CREATED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Which gateway or server took it, its id there, and the last error in plain words.
    provider = models.CharField(max_length=32, blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["message", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="one_delivery_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.channel}: {self.status}"


class InboxItem(models.Model):
    """A message in the person's in-app inbox."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    message = models.OneToOneField(OutboxMessage, on_delete=models.CASCADE, related_name="inbox_item")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def href(self) -> str:
        """The link as the inbox (a page of this site) opens it: within the site, whatever
        address the message was written for (emails carry ``SITE_URL``; the site may be reached
        by another name, as a local instance on another port is)."""
        site = settings.SITE_URL.rstrip("/")
        if site and self.link.startswith(site + "/"):
            return self.link[len(site) :]
        return self.link


class ChannelPreference(models.Model):
    """The channels a person chose for one group of messages (in addition to the inbox)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    group = models.CharField(max_length=24)
    channels = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="one_preference_per_group")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.group}={self.channels}"


class PushSubscription(models.Model):
    """A browser that agreed to receive notifications (Web Push), with its encryption keys."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=600, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    # What the person calls this device ("Chrome, Android" from its browser until renamed).
    name = models.CharField(max_length=80, blank=True)
    # The groups of messages this device shows; None: every group the person chose push for.
    groups = models.JSONField(null=True, blank=True, default=None)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:40]}"

    def takes(self, group: str) -> bool:
        return self.groups is None or group in self.groups
