"""Reading bills and payments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import office_ids_of, scope_to_offices
from gerbang.catalog.models import Office
from gerbang.core.calendar import day_bounds, years_later
from gerbang.core.figures import Figure, figures
from gerbang.core.qr import qr_svg
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
)


def current_bill(application: Any) -> Bill | None:
    """The bill to pay now, or the last one (paid or expired) when none is open."""
    bills = application.bills.all()
    bill: Bill | None = bills.filter(status=BillStatus.OPEN).first() or bills.order_by("-issued_at").first()
    return bill


def bill_qr(bill: Bill) -> str:
    return qr_svg(bill.qris_payload, scale=5, title="QRIS")


def receipts_of(application: Any) -> list[Payment]:
    return list(
        application.payments.exclude(receipt_code=None).select_related("refund").order_by("created_at")
    )


def receipt_url(payment: Payment) -> str:
    return f"{settings.SITE_URL}{reverse('payments:receipt_verify', args=[payment.receipt_code])}"


def receipt_by_code(code: str) -> Payment | None:
    """A receipt by its code, for the public verification page (codes are read forgivingly)."""
    normalized = "".join(code.split()).upper()
    if not normalized.startswith("KW-"):
        normalized = f"KW-{normalized.removeprefix('KW')}"
    return (
        Payment.objects.filter(receipt_code=normalized)
        .select_related("application__service", "application__office", "bill")
        .first()
    )


def receipt_context(payment: Payment) -> dict[str, Any]:
    """What a receipt shows, and so all its verification page shows: no personal data."""
    application = payment.application
    return {
        "payment": payment,
        "application": application,
        "number": application.number,
        "service": application.service.name,
        "office": application.office.name,
        "bill": payment.bill,
        "verify_url": receipt_url(payment),
        "qr": qr_svg(receipt_url(payment), scale=3, title="QR"),
    }


def payments_visible_to(user: Any) -> QuerySet[Payment]:
    if not has_permission(user, Perm.PAYMENTS_VIEW):
        return Payment.objects.none()
    return scope_to_offices(Payment.objects.all(), user, office_field="application__office")


@dataclass
class DayTotal:
    day: date
    office: str
    method: str
    count: int
    total: int


def payments_per_office_and_day(
    user: Any, *, start: date, end: date, office_id: int | None = None
) -> list[DayTotal]:
    """Number and sum of payments per day, office and method, newest day first."""
    rows = payments_visible_to(user).filter(paid_on__gte=start, paid_on__lte=end)
    if office_id:
        rows = rows.filter(application__office_id=office_id)
    grouped = (
        rows.values("paid_on", "application__office__name_id", "method")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("-paid_on", "application__office__name_id", "method")
    )
    labels = dict(PaymentMethod.choices)
    return [
        DayTotal(
            g["paid_on"],
            g["application__office__name_id"],
            str(labels[g["method"]]),
            g["count"],
            g["total"] or 0,
        )
        for g in grouped
    ]


def anomalies_visible_to(user: Any, *, open_only: bool = True) -> QuerySet[PaymentAnomaly]:
    if not has_permission(user, Perm.PAYMENTS_VIEW):
        return PaymentAnomaly.objects.none()
    anomalies = PaymentAnomaly.objects.select_related("bill__application", "payment", "office", "resolved_by")
    if not user.has_national_scope:
        anomalies = anomalies.filter(office_id__in=office_ids_of(user))
    return anomalies.filter(resolved_at__isnull=True) if open_only else anomalies


@dataclass(frozen=True)
class UnsettledPayment:
    """Money that arrived for one of the case's bills without settling it, not yet dealt with."""

    problem: str
    amount: int
    bill_amount: int
    received_at: Any
    # Whether the bill it came for is still open (then the payer can still pay it right).
    bill_open: bool = False

    @property
    def underpaid(self) -> bool:
        return self.amount < self.bill_amount

    @property
    def problem_label(self) -> str:
        return str(AnomalyKind(self.problem).label)


def unsettled_payments(application: Any) -> list[UnsettledPayment]:
    found = []
    for anomaly in (
        PaymentAnomaly.objects.select_related("bill", "payment")
        .filter(bill__application=application, kind__in=TOLD_TO_PAYER, resolved_at__isnull=True)
        .order_by("created_at")
    ):
        amount = anomaly.payment.amount if anomaly.payment else anomaly.details.get("amount")
        found.append(
            UnsettledPayment(
                problem=anomaly.kind,
                amount=amount if isinstance(amount, int) else 0,
                bill_amount=anomaly.bill.amount if anomaly.bill else 0,
                received_at=anomaly.created_at,
                bill_open=anomaly.bill is not None and anomaly.bill.status == BillStatus.OPEN,
            )
        )
    return found


# Payments that bought nothing may be refunded; a payment that paid a case may not.
REFUNDABLE = frozenset({AnomalyKind.PAID_TWICE, AnomalyKind.AFTER_EXPIRY})


def refund_blocker(payment: Payment) -> str | None:
    """Why the policy refuses a refund of this payment, or None when it allows one."""
    if hasattr(payment, "refund"):
        return _("This payment was already refunded.")
    if not payment.anomalies.filter(kind__in=REFUNDABLE).exists():
        return _("Only a payment made twice or after its bill expired can be refunded.")
    return None


# --- What the payments hold about a person (UU PDP; ``payments/data_subject.py``) -------------


def retention_years() -> int:
    return int(settings.DATA_RETENTION_YEARS["payments"])


def retention_cutoff(now: datetime) -> datetime:
    """Payment records that ended before this moment are past their retention period."""
    return years_later(now, -retention_years())


def texts_past_retention(cutoff: datetime) -> int:
    """How many records that ended before ``cutoff`` still hold free texts (the sweep's work)."""
    return (
        Refund.objects.filter(created_at__lt=cutoff).exclude(reason="", reference="").count()
        + PaymentFailure.objects.filter(failed_at__lt=cutoff).exclude(reason="").count()
        + PaymentAnomaly.objects.filter(resolved_at__lt=cutoff).exclude(resolution="").count()
    )


@dataclass
class PersonsRecords:
    """The payment records of one person's cases."""

    bills: list[Bill]
    payments: list[Payment]
    refunds: list[Refund]
    failures: list[PaymentFailure]
    anomalies: list[PaymentAnomaly]

    def ends(self) -> list[datetime]:
        """When each bill, payment, refund and failed attempt ended, the start of its retention."""
        return (
            [bill.paid_at or bill.expires_at for bill in self.bills]
            + [payment.created_at for payment in self.payments]
            + [refund.created_at for refund in self.refunds]
            + [failure.failed_at for failure in self.failures]
        )


def records_of(person: Any) -> PersonsRecords:
    cases = Q(application__applicant=person)
    anomalies = PaymentAnomaly.objects.filter(
        Q(bill__application__applicant=person) | Q(payment__application__applicant=person)
    )
    return PersonsRecords(
        bills=list(Bill.objects.filter(cases).select_related("application").order_by("issued_at", "pk")),
        payments=list(
            Payment.objects.filter(cases)
            .select_related("application__office", "recorded_by")
            .order_by("created_at", "pk")
        ),
        refunds=list(
            Refund.objects.filter(payment__application__applicant=person)
            .select_related("payment__application__office", "recorded_by")
            .order_by("created_at", "pk")
        ),
        failures=list(
            PaymentFailure.objects.filter(bill__application__applicant=person)
            .select_related("bill__application")
            .order_by("failed_at", "pk")
        ),
        anomalies=list(
            anomalies.select_related("bill__application", "payment__application")
            .distinct()
            .order_by("created_at", "pk")
        ),
    )


def unsettled_cases_of(person: Any) -> list[tuple[Any, list[UnsettledPayment]]]:
    """The person's cases with money that arrived and was neither settled nor refunded."""
    cases = {
        anomaly.bill.application
        for anomaly in PaymentAnomaly.objects.filter(
            bill__application__applicant=person, kind__in=TOLD_TO_PAYER, resolved_at__isnull=True
        ).select_related("bill__application")
        if anomaly.bill is not None
    }
    return [(case, unsettled_payments(case)) for case in sorted(cases, key=lambda case: case.pk)]


def owners_of_bills(ids: Sequence[int]) -> dict[str, int]:
    rows = Bill.objects.filter(pk__in=ids).values_list("pk", "application__applicant_id")
    return {str(pk): owner for pk, owner in rows}


def owners_of_payments(ids: Sequence[int]) -> dict[str, int]:
    rows = Payment.objects.filter(pk__in=ids).values_list("pk", "application__applicant_id")
    return {str(pk): owner for pk, owner in rows}


def owners_of_anomalies(ids: Sequence[int]) -> dict[str, int]:
    rows = PaymentAnomaly.objects.filter(pk__in=ids).values_list(
        "pk", "bill__application__applicant_id", "payment__application__applicant_id"
    )
    return {str(pk): by_bill or by_payment for pk, by_bill, by_payment in rows if by_bill or by_payment}


def day_figures(office: Office, day: date) -> list[Figure]:
    """For the public statistics (``core.figures``): per bill of a case at ``office`` that ended
    on ``day``, whether it was paid by its deadline (``bill_paid_within`` 1) or lapsed unpaid or
    was paid late (0), and for each paid one the whole hours from the bill to the payment
    (``paid_hours``). Bills cancelled with their case (withdrawn) are not counted."""
    start, end = day_bounds(day, office.time_zone)
    counts: Counter[tuple[int, str, int]] = Counter()
    bills = Bill.objects.filter(application__office=office)
    paid = bills.filter(paid_at__gte=start, paid_at__lt=end).values_list(
        "application__service_id", "issued_at", "expires_at", "paid_at"
    )
    for service_id, issued_at, expires_at, paid_at in paid:
        if paid_at is None:  # filtered out; says so to the type checker
            continue
        counts[(service_id, "bill_paid_within", int(paid_at <= expires_at))] += 1
        counts[(service_id, "paid_hours", max(int((paid_at - issued_at).total_seconds() // 3600), 0))] += 1
    lapsed = bills.filter(
        status=BillStatus.EXPIRED, paid_at__isnull=True, expires_at__gte=start, expires_at__lt=end
    ).values_list("application__service_id", flat=True)
    for service_id in lapsed:
        counts[(service_id, "bill_paid_within", 0)] += 1
    return figures(counts)
