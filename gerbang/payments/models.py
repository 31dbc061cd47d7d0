"""Bills and payments of application fees.

A bill is issued when a case awaits payment: amount, 15-digit billing code, expiry and a dynamic
QRIS payload. It is paid online through the payment provider (the provider notifies us by a
signed webhook) or, as before online payment existed, at a bank counter recorded by staff.
Anything odd about a payment (wrong amount, unknown bill, paid after expiry, paid twice) is an
anomaly for finance: recorded, never silently dropped, never marked paid.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    BANK_COUNTER = "bank_counter", _("Paid at a bank counter")
    PROVIDER = "provider", _("Paid online (billing code or QRIS)")


class BillStatus(models.TextChoices):
    OPEN = "open", _("Waiting for payment")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    # The payment that paid it went back to the payer (the provider says so).
    REFUNDED = "refunded", _("Refunded")


class Bill(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="bills"
    )
    # Short reference inside the QRIS payload and the provider's notifications.
    reference = models.CharField(_("bill reference"), max_length=25, unique=True)
    billing_code = models.CharField(_("billing code"), max_length=15, unique=True)
    amount = models.PositiveIntegerField(_("amount (rupiah)"))
    currency = models.CharField(max_length=3, default="IDR")
    provider = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=BillStatus.choices, default=BillStatus.OPEN)
    qris_payload = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("pay before"))
    paid_at = models.DateTimeField(null=True, blank=True)
    # Whether the provider has confirmed it knows the bill (registration is retried until it does).
    registered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            # At most one bill to pay and never two paid bills for one application.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=["open", "paid"]),
                name="one_open_or_paid_bill_per_application",
            ),
        ]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} ({self.status})"


class Payment(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="payments"
    )
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.PositiveIntegerField(_("amount (rupiah)"))
    # The bank's receipt or the state-revenue transaction number (NTPN) printed on it; for an
    # online payment the provider's transaction id (unique: a repeated notification counts once).
    receipt_number = models.CharField(_("receipt number"), max_length=64)
    paid_on = models.DateField(_("paid on"))
    paid_at = models.DateTimeField(null=True, blank=True)
    # Our own receipt number, printed on the receipt PDF and checked by its verification page.
    receipt_code = models.CharField(max_length=24, unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["method", "receipt_number"], name="unique_receipt_per_method"),
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.application_id} {self.amount} ({self.method})"


class AnomalyKind(models.TextChoices):
    UNKNOWN_BILL = "unknown_bill", _("Payment for an unknown bill")
    WRONG_AMOUNT = "wrong_amount", _("Amount differs from the bill")
    WRONG_CURRENCY = "wrong_currency", _("Currency is not rupiah")
    AFTER_EXPIRY = "after_expiry", _("Paid after the bill expired")
    PAID_TWICE = "paid_twice", _("Bill paid twice")
    SETTLEMENT_MISMATCH = "settlement_mismatch", _("Settlement file differs from our records")
    UNKNOWN_EVENT = "unknown_event", _("Notification of an unknown kind")
    CONFLICTING = "conflicting", _("Notification contradicts an earlier one")
    UNKNOWN_PAYMENT = "unknown_payment", _("Refund of a payment we have no record of")
    REFUND_MISMATCH = "refund_mismatch", _("Refund differs from the payment")
    PAID_CASE_REFUNDED = "paid_case_refunded", _("The payment of a paid case was refunded")


# Anomalies where the payer's money arrived and did not settle the bill: the payer is told.
TOLD_TO_PAYER = frozenset(
    {AnomalyKind.WRONG_AMOUNT, AnomalyKind.WRONG_CURRENCY, AnomalyKind.AFTER_EXPIRY, AnomalyKind.PAID_TWICE}
)


class PaymentAnomaly(models.Model):
    """Something about a payment that finance must look at (and perhaps refund)."""

    kind = models.CharField(max_length=24, choices=AnomalyKind.choices)
    provider = models.CharField(max_length=32, blank=True)
    transaction_id = models.CharField(max_length=64, blank=True)
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="anomalies")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="anomalies"
    )
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The notification or settlement line as received (no personal data is in it).
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same odd notification delivered again is one anomaly, not two.
            models.UniqueConstraint(
                fields=["kind", "provider", "transaction_id"],
                condition=~models.Q(transaction_id=""),
                name="one_anomaly_per_transaction_and_kind",
            ),
        ]
        verbose_name = _("payment anomaly")
        verbose_name_plural = _("payment anomalies")

    def __str__(self) -> str:
        return f"{self.kind} {self.transaction_id}"


class FailureReason(models.TextChoices):
    """Why a payment attempt failed, as the protocol codes it (``failure_code``)."""

    INSUFFICIENT_FUNDS = "insufficient_funds", _("there was not enough money in the account")
    DECLINED = "declined", _("the bank declined it")
    TIMEOUT = "timeout", _("it was not confirmed in time")
    CANCELLED = "cancelled", _("it was cancelled in the banking app")


class PaymentFailure(models.Model):
    """An attempt to pay a bill that the provider reports as failed: no money was taken. Kept
    so the payer can be told and finance can see it; the same notification again is one row."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="failures")
    provider = models.CharField(max_length=32)
    transaction_id = models.CharField(max_length=64)
    amount = models.PositiveIntegerField(_("amount (rupiah)"))
    # The provider's code for why (FailureReason when it is one we know) and its own words.
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    failed_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-failed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"], name="one_failure_per_transaction"
            ),
        ]
        verbose_name = _("failed payment attempt")
        verbose_name_plural = _("failed payment attempts")

    def __str__(self) -> str:
        return f"{self.transaction_id} failed ({self.reason})"

    @property
    def reason_text(self) -> str:
        """Why, in the reader's language when the provider's code is one we know."""
        if self.reason_code in FailureReason.values:
            return str(FailureReason(self.reason_code).label)
        return self.reason


class RefundSource(models.TextChoices):
    FINANCE = "finance", _("Transferred back by finance")
    PROVIDER = "provider", _("Refunded through the payment provider")


class Refund(models.Model):
    """Money returned to the payer: recorded by finance when the policy allows (see services),
    or reported by the payment provider."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    source = models.CharField(max_length=12, choices=RefundSource.choices, default=RefundSource.FINANCE)
    amount = models.PositiveIntegerField(_("amount (rupiah)"))
    reason = models.TextField(_("reason"))
    reference = models.CharField(_("transfer reference"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"refund {self.amount} of {self.payment_id}"
