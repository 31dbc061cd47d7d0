"""Reading bills and payments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from gerbang.core.qr import qr_svg
from gerbang.payments.models import Bill, BillStatus, Payment


def current_bill(application: Any) -> Bill | None:
    """The bill to pay now, or the last one (paid or expired) when none is open."""
    bills = application.bills.all()
    return bills.filter(status=BillStatus.OPEN).first() or bills.order_by("-issued_at").first()


def bill_qr(bill: Bill) -> str:
    return qr_svg(bill.qris_payload, scale=5, title="QRIS")


def receipts_of(application: Any) -> list[Payment]:
    return list(application.payments.exclude(receipt_code=None).order_by("created_at"))


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
