"""What payments shows on pages other apps own (``core.panels``): a case's payments and receipts,
money that arrived without settling its bill, and the officer's form for a bank-counter payment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.core import panels
from gerbang.payments.forms import CounterPaymentForm
from gerbang.payments.models import BillStatus
from gerbang.payments.selectors import bill_qr, current_bill, receipts_of, unsettled_payments


def applicant_payments(request: HttpRequest, *, application: Application) -> dict[str, Any] | None:
    receipts = receipts_of(application)
    unsettled = unsettled_payments(application)
    if not receipts and not unsettled:
        return None
    return {"receipts": receipts, "unsettled": unsettled}


def staff_payments(
    request: HttpRequest, *, application: Application, form: Any = None
) -> dict[str, Any] | None:
    recorded = list(application.payments.select_related("refund"))
    unsettled = unsettled_payments(application)
    if not recorded and not unsettled:
        return None
    return {"payments": recorded, "unsettled": unsettled}


def counter_payment(
    request: HttpRequest, *, application: Application, form: forms.Form | None = None
) -> dict[str, Any] | None:
    """While the case awaits payment: the form, as posted when it was refused (what was typed
    stays), otherwise blank with the fee filled in."""
    if application.state != State.AWAITING_PAYMENT:
        return None
    posted = form if isinstance(form, CounterPaymentForm) else None
    return {"payment_form": posted or CounterPaymentForm(initial={"amount": application.fee})}


def summary_bill(request: HttpRequest | None, *, application: Application) -> dict[str, Any] | None:
    """The open bill on an assisted application's printed summary: its billing code and QRIS,
    so a person without the site can pay at a bank, a post office or with a banking app."""
    bill = current_bill(application)
    if bill is None or bill.status != BillStatus.OPEN:
        return None
    return {"bill": bill, "qr": bill_qr(bill)}


panels.register(
    panels.Panel(panels.ASSISTED_SUMMARY, "payments/panels/summary_bill.html", summary_bill),
    panels.Panel(panels.APPLICANT_CASE, "payments/panels/case_payments.html", applicant_payments),
    panels.Panel(panels.STAFF_CASE, "payments/panels/case_payments_staff.html", staff_payments),
    panels.Panel(panels.STAFF_CASE_ACTIONS, "payments/panels/counter_payment.html", counter_payment),
)
