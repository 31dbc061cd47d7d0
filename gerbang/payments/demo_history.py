"""The bills of the demo's past cases (``applications.demo_history``), so that the public
statistics count payments made before their deadline: each past case was billed when it was
submitted; it paid online (its receipt kept), let the bill lapse, or was withdrawn (the bill
cancelled with it). Written in bulk, once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gerbang.applications.demo_history import past_cases
from gerbang.payments import billing, qris
from gerbang.payments.models import Bill, BillStatus, Payment, PaymentMethod
from gerbang.payments.services import merchant, new_receipt_code


def load() -> int:
    """Write the bills of the past cases once; returns how many (0 if done)."""
    history = past_cases()
    if not history or Bill.objects.filter(application=history[0].application).exists():
        return 0
    seller = merchant()
    bills: list[Bill] = []
    payments: list[Payment] = []
    codes: set[str] = set(Bill.objects.values_list("billing_code", flat=True))
    for case in history:
        application = case.application
        submitted = case.steps.get("submit")
        if submitted is None or application.terms is None:
            continue
        amount = int(application.fee or 0)
        reference = billing.new_reference()
        code = billing.new_billing_code()
        while code in codes:
            code = billing.new_billing_code()
        codes.add(code)
        paid = case.steps.get("record_payment")
        status = (
            BillStatus.PAID
            if paid
            else BillStatus.CANCELLED
            if "cancel" in case.steps
            else BillStatus.EXPIRED
        )
        bill = Bill(
            application=application,
            reference=reference,
            billing_code=code,
            amount=amount,
            provider=settings.PAYMENT_PROVIDER,
            status=status,
            qris_payload=qris.build(merchant=seller, amount=amount, bill_reference=reference),
            issued_at=submitted,
            expires_at=submitted + dt.timedelta(hours=application.terms.payment_deadline_hours),
            paid_at=paid,
            registered_at=submitted,
        )
        bills.append(bill)
        if paid:
            payments.append(
                Payment(
                    application=application,
                    bill=bill,
                    method=PaymentMethod.PROVIDER,
                    amount=amount,
                    receipt_number=f"SIM-{reference}",
                    paid_on=timezone.localtime(paid).date(),
                    paid_at=paid,
                    receipt_code=new_receipt_code(),
                    created_at=paid,
                )
            )
    with transaction.atomic():
        Bill.objects.bulk_create(bills, batch_size=500)
        for payment in payments:
            payment.bill_id = payment.bill.pk if payment.bill else None
        Payment.objects.bulk_create(payments, batch_size=500)
    return len(bills)
