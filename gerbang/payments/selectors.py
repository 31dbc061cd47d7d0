"""Reading bills and payments."""

from __future__ import annotations

from typing import Any

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
