"""Paying an application's fee, as JSON: the bill to pay (its billing code for the bank, its
QRIS text for any banking or e-wallet app, the deadline), asking the provider at once whether the
payment has arrived ("I have paid"), a new bill once one expired, and the receipts. The same
services as the payment page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.applications import services as applications
from gerbang.applications.selectors import application_of
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import Conflict, NotFound
from gerbang.payments import selectors, services
from gerbang.payments.billing import format_billing_code
from gerbang.payments.models import Bill, BillStatus, Payment
from gerbang.payments.providers import ProviderUnavailable

router = Router(tags=["payments"])


class BillOut(Schema):
    status: str = Field(description="open, paid, expired, cancelled or refunded.", examples=["open"])
    amount: int = Field(description="The fee, in whole rupiah.", examples=[350000])
    currency: str = Field(examples=["IDR"])
    billing_code: str = Field(
        description="The code to pay at a bank (teller, ATM, mobile banking), grouped for reading.",
        examples=["8201 2345 6789 012"],
    )
    qris: str = Field(
        description="The QRIS text (EMVCo merchant-presented QR): show it as a QR code for any "
        "banking or e-wallet app to scan.",
    )
    expires_at: datetime = Field(description="Pay before this moment; then ask for a new bill.")
    paid_at: datetime | None = None


class ReceiptOut(Schema):
    code: str = Field(examples=["KW-7Q2M-9XK4"])
    amount: int
    paid_on: date
    method: str = Field(description="provider (online: billing code or QRIS) or bank_counter.")
    verify_url: str = Field(description="The public page where anyone can check the receipt.")


class PaymentOut(Schema):
    application_state: str
    bill: BillOut | None
    receipts: list[ReceiptOut]


class CheckOut(PaymentOut):
    arrived: bool = Field(description="Whether the payment has arrived (the bill is paid).")


def _bill(bill: Bill | None) -> dict[str, Any] | None:
    if bill is None:
        return None
    return {
        "status": bill.status,
        "amount": bill.amount,
        "currency": bill.currency,
        "billing_code": format_billing_code(bill.billing_code),
        "qris": bill.qris_payload,
        "expires_at": bill.expires_at,
        "paid_at": bill.paid_at,
    }


def _receipt(payment: Payment) -> dict[str, Any]:
    return {
        "code": payment.receipt_code,
        "amount": payment.amount,
        "paid_on": payment.paid_on,
        "method": payment.method,
        "verify_url": selectors.receipt_url(payment),
    }


def _payment(application: Any) -> dict[str, Any]:
    return {
        "application_state": application.state,
        "bill": _bill(selectors.current_bill(application)),
        "receipts": [_receipt(payment) for payment in selectors.receipts_of(application)],
    }


def _own(request: AuthenticatedRequest, pk: int) -> Any:
    application = application_of(request.user, pk)
    if application is None:
        raise NotFound()
    return application


@router.get("/applications/{pk}/payment", response=PaymentOut, auth=signed_in(Scope.PAYMENTS))
def get_payment(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    """The application's bill (the open one, else the last) and its receipts."""
    return _payment(_own(request, pk))


@router.post("/applications/{pk}/payment/check", response=CheckOut, auth=signed_in(Scope.PAYMENTS))
def check_payment(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    """ "I have paid": ask the payment provider at once instead of waiting for its notice."""
    application = _own(request, pk)
    bill = selectors.current_bill(application)
    if bill is None or bill.status != BillStatus.OPEN:
        raise Conflict(_("There is no open bill to check."), field="bill")
    try:
        services.bill_check_now(bill=bill)
    except ProviderUnavailable:
        raise Conflict(_("The payment provider cannot be reached right now; we keep checking.")) from None
    application.refresh_from_db()
    answer = _payment(application)
    return {**answer, "arrived": bool(answer["bill"] and answer["bill"]["status"] == BillStatus.PAID)}


@router.post("/applications/{pk}/payment/new-bill", response=PaymentOut, auth=signed_in(Scope.PAYMENTS))
def new_bill(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    """A new bill for an application whose bill expired unpaid."""
    application = _own(request, pk)
    applications.bill_reissue(application=application, actor=request.user)
    application.refresh_from_db()
    return _payment(application)
