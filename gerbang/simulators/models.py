"""The simulated payment provider's own records: the bills it was told about, the payments
testers made, and its webhook deliveries to Gerbang."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SimulatedBill(models.Model):
    reference = models.CharField(max_length=25, unique=True)
    billing_code = models.CharField(max_length=15, db_index=True)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=200, blank=True)
    qris_payload = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class SimulatedPayment(models.Model):
    """A payment a tester made: taken ("succeeded"), or an attempt that failed; later perhaps
    refunded."""

    bill = models.ForeignKey(SimulatedBill, on_delete=models.CASCADE, related_name="payments")
    transaction_id = models.CharField(max_length=64, unique=True)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=8)
    # Why the attempt failed (a key of payment_provider.FAILURES); empty: the payment was taken.
    failure_code = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(default=timezone.now)
    refund_id = models.CharField(max_length=40, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-paid_at"]

    def __str__(self) -> str:
        return self.transaction_id

    @property
    def succeeded(self) -> bool:
        return not self.failure_code


class WebhookDelivery(models.Model):
    payment = models.ForeignKey(SimulatedPayment, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, default="payment.succeeded")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.CharField(max_length=40, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.last_status}"


class SimulatedSms(models.Model):
    gateway = models.CharField(max_length=16)
    to = models.CharField(max_length=20)
    text = models.TextField()
    client_reference = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gateway} → {self.to}"


class GatewayState(models.Model):
    """Whether a simulated SMS gateway is down (answers 503), as a tester set it."""

    gateway = models.CharField(max_length=16, unique=True)
    down = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.gateway}: {'down' if self.down else 'up'}"


class PushedMessage(models.Model):
    """What a simulated push service received for one browser (still encrypted, as sent)."""

    channel = models.CharField(max_length=40, db_index=True)
    body = models.BinaryField()
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.channel
