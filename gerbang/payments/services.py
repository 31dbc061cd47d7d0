"""Writes of payments: issuing bills, taking the provider's notifications (idempotently, with
anomalies for anything odd), and registering bills with the provider."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.applications import services as applications
from gerbang.applications.models import Application
from gerbang.applications.selectors import office_today
from gerbang.applications.workflow import State
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.calendar import local_date
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.core.formatting import rupiah
from gerbang.notifications.services import outbox_add
from gerbang.payments import billing, qris
from gerbang.payments.events import PaymentSettled
from gerbang.payments.models import (
    TOLD_TO_PAYER,
    AnomalyKind,
    Bill,
    BillStatus,
    Payment,
    PaymentAnomaly,
    PaymentFailure,
    PaymentMethod,
    Refund,
    RefundSource,
)
from gerbang.payments.providers import Event, Notification, PaymentProvider, ProviderUnavailable, get_provider
from gerbang.payments.selectors import REFUNDABLE, refund_blocker

logger = logging.getLogger(__name__)

# The payment provider, as it acts on a case through its signed notifications.
PROVIDER = SystemActor("payment-provider")

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def merchant() -> qris.Merchant:
    return qris.Merchant(
        acquirer_domain=settings.QRIS_ACQUIRER_DOMAIN,
        merchant_pan=settings.QRIS_MERCHANT_PAN,
        merchant_id=settings.QRIS_MERCHANT_ID,
        nmid=settings.QRIS_NMID,
        name=settings.QRIS_MERCHANT_NAME,
        city=settings.QRIS_MERCHANT_CITY,
    )


def new_receipt_code() -> str:
    return "KW-" + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))


def _unique_billing_code() -> str:
    while True:
        code = billing.new_billing_code()
        if not Bill.objects.filter(billing_code=code).exists():
            return code


def bill_issue(*, application: Any, expires_at: datetime) -> Bill:
    """Issue the bill of an application that now awaits payment (inside the caller's
    transaction); the provider learns of it right after the commit."""
    reference = billing.new_reference()
    amount = int(application.fee or 0)
    bill = Bill.objects.create(
        application=application,
        reference=reference,
        billing_code=_unique_billing_code(),
        amount=amount,
        provider=settings.PAYMENT_PROVIDER,
        qris_payload=qris.build(merchant=merchant(), amount=amount, bill_reference=reference),
        expires_at=expires_at,
    )
    events.record(
        "payment.bill_issued",
        actor=None,
        subject=bill,
        office_id=application.office_id,
        details={"application": application.pk, "amount": amount, "expires_at": expires_at.isoformat()},
    )
    # A training case's bill stays in the system (docs/training.md): no provider hears of it,
    # so it can only be paid by recording a counter payment, as staff learn to.
    if not application.office.is_training:
        transaction.on_commit(lambda: _register_soon(bill.pk))
    return bill


def _register_soon(bill_id: int) -> None:
    from gerbang.payments.tasks import register_bill

    try:
        register_bill(bill_id)
    except ProviderUnavailable:
        # Only when tasks run in-line (tests): the periodic check registers it later.
        logger.warning("bill %s not registered yet: provider unavailable", bill_id)


def bills_close(*, application: Any, status: BillStatus) -> int:
    """An application that expired or was cancelled leaves no bill open."""
    return int(application.bills.filter(status=BillStatus.OPEN).update(status=status))


@transaction.atomic
def payment_record_counter(
    *,
    application: Application,
    receipt_number: str,
    amount: int,
    paid_on: date,
    actor: User,
    expected_version: int,
) -> Application:
    """Record a fee paid at a bank counter, as shown on the receipt the applicant brings."""
    require_permission(actor, Perm.CASE_WORK, office_id=application.office_id)
    application = applications.application_lock(application=application, expected_version=expected_version)
    if application.state != State.AWAITING_PAYMENT:
        raise Conflict(
            _("Payments are recorded only while the application awaits payment (it is “%(state)s”).")
            % {"state": application.state_label}
        )
    receipt = receipt_number.strip().upper()
    if not receipt:
        raise ValidationError(_("Enter the receipt number."), field="receipt_number")
    if amount != application.fee:
        raise ValidationError(
            _("The amount must be the fee of this application, %(fee)s.") % {"fee": rupiah(application.fee)},
            field="amount",
        )
    today = office_today(application)
    submitted_on = (
        local_date(application.submitted_at, application.office.time_zone)
        if application.submitted_at
        else today
    )
    if paid_on > today:
        raise ValidationError(_("The payment date cannot be in the future."), field="paid_on")
    if paid_on < submitted_on:
        raise ValidationError(
            _("The payment date cannot be before the application was submitted."), field="paid_on"
        )
    if Payment.objects.filter(method=PaymentMethod.BANK_COUNTER, receipt_number=receipt).exists():
        raise ValidationError(
            _("This receipt number was already recorded for a payment."), field="receipt_number"
        )
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                application=application,
                bill=application.bills.filter(status=BillStatus.OPEN).first(),
                method=PaymentMethod.BANK_COUNTER,
                amount=amount,
                receipt_number=receipt,
                paid_on=paid_on,
                recorded_by=actor,
                receipt_code=new_receipt_code(),
            )
    except IntegrityError:
        raise ValidationError(
            _("This receipt number was already recorded for a payment."), field="receipt_number"
        ) from None
    application.bills.filter(status=BillStatus.OPEN).update(status=BillStatus.PAID, paid_at=timezone.now())
    events.publish(PaymentSettled(payment=payment, application=application))
    zone = ZoneInfo(application.office.time_zone)
    return applications.application_paid(
        application=application,
        paid_at=datetime.combine(paid_on, time(12, 0), tzinfo=zone),
        details={"amount": amount, "method": PaymentMethod.BANK_COUNTER.value},
        actor=actor,
    )


BILL_REMINDER_BEFORE = timedelta(hours=1)


def bills_expiring_remind(*, now: datetime | None = None) -> int:
    """Tell each applicant whose bill expires within the hour, once per bill (each message in its
    own transaction); returns how many were told now."""
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


def bill_register(*, bill_id: int, provider: PaymentProvider | None = None) -> bool:
    """Tell the provider about a bill; True once it knows. Raises ProviderUnavailable to retry."""
    bill = Bill.objects.select_related("application__service", "application__office").get(pk=bill_id)
    if bill.application.office.is_training:
        return False  # a training case's bill never leaves the system
    if bill.registered_at is not None or bill.status != BillStatus.OPEN:
        return bill.registered_at is not None
    (provider or get_provider(bill.provider)).register_bill(bill)
    Bill.objects.filter(pk=bill.pk).update(registered_at=timezone.now())
    return True


def _anomaly(
    kind: AnomalyKind,
    notification: Notification,
    *,
    provider: str,
    bill: Bill | None,
    payment: Payment | None = None,
) -> PaymentAnomaly:
    anomaly, created = PaymentAnomaly.objects.get_or_create(
        kind=kind,
        provider=provider,
        transaction_id=notification.transaction_id,
        defaults={
            "bill": bill,
            "payment": payment,
            "office_id": bill.application.office_id if bill else None,
            "details": notification.raw,
        },
    )
    if created and bill is not None and kind in TOLD_TO_PAYER:
        # Money arrived but did not settle the bill: the payer is told what arrived, what
        # happens to it and what to do, never left looking at "pay" as if nothing came.
        outbox_add(
            recipient=bill.application.applicant,
            kind="payment.not_settled",
            dedup_key=f"payment.not_settled:{anomaly.pk}",
            context={
                "application_id": bill.application_id,
                "problem": kind.value,
                "amount": notification.amount,
                "bill_amount": bill.amount,
                "underpaid": notification.amount < bill.amount,
                "bill_open": bill.status == BillStatus.OPEN,
            },
        )
    if created:
        events.record(
            f"payment.anomaly.{kind}",
            actor=None,
            subject=anomaly,
            office_id=anomaly.office_id,
            details={"transaction_id": notification.transaction_id, "bill": bill.reference if bill else None},
        )
        logger.warning("payment anomaly %s for transaction %s", kind, notification.transaction_id)
    return anomaly


def _record(bill: Bill, notification: Notification) -> Payment:
    paid_at = notification.moment
    return Payment.objects.create(
        application=bill.application,
        bill=bill,
        method=PaymentMethod.PROVIDER,
        amount=notification.amount,
        receipt_number=notification.transaction_id,
        paid_on=timezone.localtime(paid_at).date(),
        paid_at=paid_at,
        receipt_code=new_receipt_code(),
    )


def payment_notification_receive(*, provider: str, notification: Notification) -> str:
    """Take one notification of the provider. Returns "paid", "failed", "refunded",
    "duplicate" or "anomaly".

    Only a ``payment.succeeded`` notification pays, and only the bill it names, in its currency
    and amount, before the bill's deadline. A failed attempt and a refund are recorded as what
    they are; a notification of any other kind (or none) is an anomaly, acted on no further.

    The same notification twice counts once, also when both arrive at the same moment: the
    bill's (or the payment's) row is locked, and unique constraints are the backstop.
    """
    receive = {
        Event.SUCCEEDED: _receive_payment,
        Event.FAILED: _receive_failure,
        Event.REFUNDED: _receive_refund,
    }.get(notification.event)  # type: ignore[call-overload]  # any text: most are no Event
    try:
        with transaction.atomic():
            if receive is None:
                _anomaly(AnomalyKind.UNKNOWN_EVENT, notification, provider=provider, bill=None)
                return "anomaly"
            return str(receive(provider, notification))
    except IntegrityError:
        if _already_received(provider, notification):
            return "duplicate"
        raise


def _was_paid(notification: Notification) -> bool:
    """Whether this transaction has been taken as a payment already."""
    return Payment.objects.filter(
        method=PaymentMethod.PROVIDER, receipt_number=notification.transaction_id
    ).exists()


def _has_failed(provider: str, notification: Notification) -> bool:
    """Whether this transaction has been taken as a failed attempt already."""
    return PaymentFailure.objects.filter(
        provider=provider, transaction_id=notification.transaction_id
    ).exists()


def _already_received(provider: str, notification: Notification) -> bool:
    if notification.event == Event.SUCCEEDED:
        return _was_paid(notification)
    if notification.event == Event.FAILED:
        return _has_failed(provider, notification)
    return Refund.objects.filter(
        payment__receipt_number=notification.transaction_id, reference=notification.refund_id
    ).exists()


def _locked_bill(notification: Notification) -> Bill | None:
    """The bill a notification names, by reference or else by billing code, exactly as sent."""
    bills = Bill.objects.select_for_update().select_related("application__office")
    bill = bills.filter(reference=notification.reference).first() if notification.reference else None
    if bill is None and notification.billing_code:
        bill = bills.filter(billing_code=notification.billing_code).first()
    return bill


def _receive_payment(provider: str, notification: Notification) -> str:
    bill = _locked_bill(notification)
    if _was_paid(notification):
        return "duplicate"
    if bill is None or bill.provider != provider:
        _anomaly(AnomalyKind.UNKNOWN_BILL, notification, provider=provider, bill=None)
        return "anomaly"
    if notification.currency != bill.currency:
        _anomaly(AnomalyKind.WRONG_CURRENCY, notification, provider=provider, bill=bill)
        return "anomaly"
    if notification.amount != bill.amount:
        _anomaly(AnomalyKind.WRONG_AMOUNT, notification, provider=provider, bill=bill)
        return "anomaly"
    if _has_failed(provider, notification):
        _anomaly(AnomalyKind.CONFLICTING, notification, provider=provider, bill=bill)
        return "anomaly"
    application = bill.application
    if bill.status == BillStatus.PAID:
        # Money came in a second time: kept as a payment, flagged for a refund.
        payment = _record(bill, notification)
        _anomaly(AnomalyKind.PAID_TWICE, notification, provider=provider, bill=bill, payment=payment)
        return "anomaly"
    paid_at = notification.moment
    if (
        paid_at > bill.expires_at
        or bill.status != BillStatus.OPEN
        or application.state != State.AWAITING_PAYMENT
    ):
        # Paid after the bill's deadline (whether or not the expiry sweep has run yet), or
        # after the application was cancelled: the money is recorded, never lost; finance
        # decides between reinstating and refunding.
        payment = _record(bill, notification)
        _anomaly(AnomalyKind.AFTER_EXPIRY, notification, provider=provider, bill=bill, payment=payment)
        return "anomaly"
    payment = _record(bill, notification)
    Bill.objects.filter(pk=bill.pk).update(status=BillStatus.PAID, paid_at=paid_at)
    events.publish(PaymentSettled(payment=payment, application=application))
    applications.application_paid(
        application=application,
        paid_at=paid_at,
        details={"amount": payment.amount, "method": PaymentMethod.PROVIDER.value, "bill": bill.reference},
        actor=PROVIDER,
    )
    return "paid"


def _receive_failure(provider: str, notification: Notification) -> str:
    """An attempt that took no money: recorded for the payer to be told; the bill stays open."""
    bill = _locked_bill(notification)
    if bill is None or bill.provider != provider:
        _anomaly(AnomalyKind.UNKNOWN_BILL, notification, provider=provider, bill=None)
        return "anomaly"
    if _has_failed(provider, notification):
        return "duplicate"
    if _was_paid(notification):
        # Said to have failed after it was said to have succeeded: a person must look.
        _anomaly(AnomalyKind.CONFLICTING, notification, provider=provider, bill=bill)
        return "anomaly"
    failure = PaymentFailure.objects.create(
        bill=bill,
        provider=provider,
        transaction_id=notification.transaction_id,
        amount=notification.amount,
        reason_code=notification.reason_code,
        reason=notification.reason,
        failed_at=notification.moment,
    )
    events.record(
        "payment.failed",
        actor=None,
        subject=bill,
        office_id=bill.application.office_id,
        details={
            "application": bill.application_id,
            "transaction_id": failure.transaction_id,
            "amount": failure.amount,
            # The provider's code; its words stay in the failure's row (erased with it).
            "reason_code": failure.reason_code,
        },
    )
    return "failed"


def _receive_refund(provider: str, notification: Notification) -> str:
    """Money of an earlier payment went back to the payer. A payment that bought nothing (paid
    twice, or after the deadline) is thereby settled; the payment of a paid case leaves its
    bill refunded and the case without its fee, which finance must take up."""
    payment = (
        Payment.objects.select_for_update(of=("self",))  # the bill is joined outer: lock the payment
        .select_related("bill", "application")
        .filter(method=PaymentMethod.PROVIDER, receipt_number=notification.transaction_id)
        .first()
    )
    if payment is None or payment.bill is None or payment.bill.provider != provider:
        _anomaly(AnomalyKind.UNKNOWN_PAYMENT, notification, provider=provider, bill=None)
        return "anomaly"
    bill = payment.bill
    earlier = Refund.objects.filter(payment=payment).first()
    if earlier is not None:
        if earlier.reference == notification.refund_id:
            return "duplicate"
        _anomaly(AnomalyKind.REFUND_MISMATCH, notification, provider=provider, bill=bill, payment=payment)
        return "anomaly"
    if notification.currency != bill.currency or not 0 < notification.amount <= payment.amount:
        _anomaly(AnomalyKind.REFUND_MISMATCH, notification, provider=provider, bill=bill, payment=payment)
        return "anomaly"
    refund = Refund.objects.create(
        payment=payment,
        source=RefundSource.PROVIDER,
        amount=notification.amount,
        reason=notification.reason or _("Refunded by the payment provider."),
        reference=notification.refund_id,
    )
    bought_nothing = payment.anomalies.filter(kind__in=REFUNDABLE)
    paid_case = not bought_nothing.exists()
    if not paid_case:
        bought_nothing.filter(resolved_at__isnull=True).update(
            resolved_at=timezone.now(),
            resolution=_("Refunded by the payment provider (%(reference)s).")
            % {"reference": notification.refund_id},
        )
    else:
        Bill.objects.filter(pk=bill.pk, status=BillStatus.PAID).update(status=BillStatus.REFUNDED)
        _anomaly(AnomalyKind.PAID_CASE_REFUNDED, notification, provider=provider, bill=bill, payment=payment)
    events.record(
        "payment.refunded",
        actor=None,
        subject=payment,
        office_id=payment.application.office_id,
        details={
            "application": payment.application_id,
            "bill": bill.reference,
            "amount": refund.amount,
            "reference": refund.reference,
            "source": RefundSource.PROVIDER.value,
            "paid_case": paid_case,
        },
    )
    outbox_add(
        recipient=payment.application.applicant,
        kind="payment.refunded",
        dedup_key=f"payment.refunded:{refund.pk}",
        context={"application_id": payment.application_id, "amount": refund.amount, "paid_case": paid_case},
    )
    return "refunded"


def bills_check_with_provider(
    *, now: datetime | None = None, provider: PaymentProvider | None = None
) -> dict[str, int]:
    """Ask the provider about bills whose notification may have been lost: open bills close to
    their expiry and bills that expired in the last two hours. Also registers bills the
    provider does not know yet."""
    moment = now or timezone.now()
    counts = {"asked": 0, "paid": 0, "registered": 0, "unavailable": 0}
    for bill in Bill.objects.filter(status=BillStatus.OPEN, registered_at__isnull=True).exclude(
        application__office__is_training=True
    ):
        try:
            if bill_register(bill_id=bill.pk, provider=provider):
                counts["registered"] += 1
        except ProviderUnavailable:
            counts["unavailable"] += 1
    candidates = (
        Bill.objects.filter(
            status__in=[BillStatus.OPEN, BillStatus.EXPIRED],
            expires_at__gte=moment - timedelta(hours=2),
            expires_at__lte=moment + timedelta(minutes=15),
        )
        .exclude(application__office__is_training=True)
        .select_related("application__service")
    )
    for bill in candidates:
        counts["asked"] += 1
        try:
            notification = (provider or get_provider(bill.provider)).bill_status(bill)
        except ProviderUnavailable:
            counts["unavailable"] += 1
            continue
        if (
            notification is not None
            and payment_notification_receive(provider=bill.provider, notification=notification) == "paid"
        ):
            counts["paid"] += 1
    return counts


def bill_check_now(*, bill: Bill, provider: PaymentProvider | None = None) -> str:
    """The applicant's "I have paid" button: ask the provider at once."""
    notification = (provider or get_provider(bill.provider)).bill_status(bill)
    if notification is None:
        return "open"
    return payment_notification_receive(provider=bill.provider, notification=notification)


@transaction.atomic
def refund_record(*, payment: Payment, amount: int, reason: str, reference: str, actor: User) -> Refund:
    require_permission(actor, Perm.PAYMENTS_MANAGE)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    blocker = refund_blocker(payment)
    if blocker:
        raise ValidationError(blocker)
    if not 0 < amount <= payment.amount:
        raise ValidationError(
            _("The refund must be more than 0 and at most the payment, %(amount)s.")
            % {"amount": rupiah(payment.amount)},
            field="amount",
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the refund."), field="reason")
    refund = Refund.objects.create(
        payment=payment, amount=amount, reason=reason.strip(), reference=reference.strip(), recorded_by=actor
    )
    now = timezone.now()
    payment.anomalies.filter(kind__in=REFUNDABLE, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution=_("Refunded: %(reason)s") % {"reason": reason.strip()}
    )
    events.record(
        "payment.refunded",
        actor=actor,
        subject=payment,
        office_id=payment.application.office_id,
        details={"amount": amount, "reference": reference.strip()},
    )
    return refund


@transaction.atomic
def anomaly_resolve(*, anomaly: PaymentAnomaly, resolution: str, actor: User) -> PaymentAnomaly:
    require_permission(actor, Perm.PAYMENTS_MANAGE)
    if not resolution.strip():
        raise ValidationError(_("Say how the anomaly was resolved."), field="resolution")
    anomaly = PaymentAnomaly.objects.select_for_update().get(pk=anomaly.pk)
    if anomaly.resolved_at is not None:
        raise Conflict(_("This anomaly was already resolved."))
    anomaly.resolved_at = timezone.now()
    anomaly.resolved_by = actor
    anomaly.resolution = resolution.strip()
    anomaly.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    events.record(
        "payment.anomaly_resolved", actor=actor, subject=anomaly, office_id=anomaly.office_id, details={}
    )
    return anomaly


# The system acting on a person's erasure request (``gerbang.privacy``), and the retention sweep.
PRIVACY = SystemActor("privacy")
RETENTION = SystemActor("retention")


@transaction.atomic
def payment_texts_erase(
    *,
    cutoff: datetime,
    why: str,
    actor: SystemActor,
    application_ids: Sequence[int] | None = None,
    limit: int = 500,
) -> int:
    """Empty the free texts of payment records that ended before ``cutoff`` (their retention
    period is over, UU PDP): the reason and transfer reference of a refund, the provider's words
    for a failed attempt, finance's note on an anomaly. Amounts, codes, states and times stay:
    they are the state-revenue figures. At most ``limit`` rows of each kind per call (the sweep
    calls again until it returns 0); only the cases ``application_ids`` when given. Returns the
    rows changed, each recorded as an event on the bill, payment or anomaly it concerns."""
    refunds = Refund.objects.filter(created_at__lt=cutoff).exclude(reason="", reference="")
    failures = PaymentFailure.objects.filter(failed_at__lt=cutoff).exclude(reason="")
    anomalies = PaymentAnomaly.objects.filter(resolved_at__lt=cutoff).exclude(resolution="")
    if application_ids is not None:
        ids = list(application_ids)
        refunds = refunds.filter(payment__application_id__in=ids)
        failures = failures.filter(bill__application_id__in=ids)
        anomalies = anomalies.filter(Q(bill__application_id__in=ids) | Q(payment__application_id__in=ids))
    refund_rows = list(
        refunds.select_for_update(of=("self",)).select_related("payment__application").order_by("pk")[:limit]
    )
    failure_rows = list(
        failures.select_for_update(of=("self",)).select_related("bill__application").order_by("pk")[:limit]
    )
    anomaly_rows = list(anomalies.select_for_update(of=("self",)).order_by("pk")[:limit])
    Refund.objects.filter(pk__in=[r.pk for r in refund_rows]).update(reason="", reference="")
    PaymentFailure.objects.filter(pk__in=[f.pk for f in failure_rows]).update(reason="")
    PaymentAnomaly.objects.filter(pk__in=[a.pk for a in anomaly_rows]).update(resolution="")
    code = "payment.personal_data_erased"
    events.record_many(
        code,
        actor=actor,
        subjects=[(r.payment, r.payment.application.office_id) for r in refund_rows],
        details={"why": why, "record": "refund"},
    )
    events.record_many(
        code,
        actor=actor,
        subjects=[(f.bill, f.bill.application.office_id) for f in failure_rows],
        details={"why": why, "record": "failure"},
    )
    events.record_many(
        code,
        actor=actor,
        subjects=[(a, a.office_id) for a in anomaly_rows],
        details={"why": why, "record": "anomaly"},
    )
    return len(refund_rows) + len(failure_rows) + len(anomaly_rows)
