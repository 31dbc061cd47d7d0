"""The messages about the fee: a bill, its reminder, the payment received, money that did not
settle a bill, a refund; registered with ``gerbang.core.messages``, templates in
``templates/payments/messages/``. Built on the case's facts (``applications.messages``)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.applications.messages import case_context, case_sample
from gerbang.core import messages
from gerbang.core.messages import EMAIL_AND_SMS, Group, Kind, StoredMessage, when_shown
from gerbang.payments.billing import format_billing_code
from gerbang.payments.selectors import current_bill

TEMPLATES = "payments/messages"


def payment_context(message: StoredMessage) -> dict[str, Any]:
    """The case's facts and its bill as it is now, with where to pay it."""
    context = case_context(message)
    application = context.get("application")
    if application is None:
        return context
    bill = when_shown(lambda: current_bill(application))
    context.update(
        {
            "pay_link": f"{settings.SITE_URL}{reverse('payments:pay', args=[application.pk])}",
            "bill": bill,
            "billing_code": when_shown(lambda: format_billing_code(bill().billing_code) if bill() else ""),
        }
    )
    return context


def payment_sample() -> dict[str, Any]:
    sample = case_sample()
    sample.update(
        {
            "bill": SimpleNamespace(
                amount=350_000, billing_code="812345678901234", expires_at=timezone.now() + timedelta(hours=2)
            ),
            "billing_code": "8123 4567 8901 234",
            "pay_link": f"{sample['link']}pay/",
            "amount": 350_000,
            "paid_case": True,
            "bill_amount": 350_000,
            "underpaid": False,
            "bill_open": True,
            "problem": "after_expiry",
        }
    )
    return sample


messages.register_group(
    Group(
        "payment",
        _("Bills and payments"),
        _("A new bill, a reminder before it expires, a payment received."),
        EMAIL_AND_SMS,
        order=20,
    )
)


def _payment_kind(code: str, template: str, *, legal: bool = False, bulk: bool = False) -> Kind:
    return Kind(
        code=code,
        group="payment",
        template=template if "/" in template else f"{TEMPLATES}/{template}",
        context=payment_context,
        sample=payment_sample,
        legal=legal,
        bulk=bulk,
    )


messages.register(
    _payment_kind("application.issue_bill", "bill_issued"),
    _payment_kind("application.reissue_bill", "bill_issued"),
    _payment_kind("payment.bill_expiring", "bill_expiring", bulk=True),
    _payment_kind("application.record_payment", "payment_received", legal=True),
    _payment_kind("payment.refunded", "payment_refunded", legal=True),
    _payment_kind("payment.not_settled", "payment_not_settled", legal=True),
    _payment_kind("application.expire", "applications/messages/application_update"),
)
