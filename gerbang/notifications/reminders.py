"""Messages that no single change triggers, but time does."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gerbang.notifications.services import outbox_add

BILL_REMINDER_BEFORE = timedelta(hours=1)


def bills_expiring_remind(*, now: datetime | None = None) -> int:
    from gerbang.payments.models import Bill, BillStatus

    moment = now or timezone.now()
    expiring = Bill.objects.filter(
        status=BillStatus.OPEN, expires_at__gt=moment, expires_at__lte=moment + BILL_REMINDER_BEFORE
    ).select_related("application__applicant")
    sent = 0
    for bill in expiring:
        with transaction.atomic():
            message = outbox_add(
                recipient=bill.application.applicant,
                kind="payment.bill_expiring",
                dedup_key=f"bill:{bill.pk}:expiring",
                context={"application_id": bill.application_id, "bill": bill.reference},
            )
            sent += int(message.created_at >= moment)
    return sent
