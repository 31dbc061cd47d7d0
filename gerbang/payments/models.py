"""Payments of application fees.

For now one way exists: a staff member records a payment the applicant made at a bank counter
(receipt number, amount, date). Online bills and provider webhooks will add to this table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    BANK_COUNTER = "bank_counter", _("Paid at a bank counter")


class Payment(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.PositiveIntegerField(_("amount (rupiah)"))
    # The bank's receipt or the state-revenue transaction number (NTPN) printed on it.
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    paid_on = models.DateField(_("paid on"))
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
