"""A payment provider simulator: the other side of ``gerbang.payments.providers``.

It keeps the bills Gerbang registers, lets a tester pay one (by billing code or QRIS payload)
on a web page, have the attempt fail, or refund a payment, and then notifies Gerbang exactly as
a provider would: a signed JSON webhook per event, retried with growing delays until Gerbang
answers 2xx, optionally delivered twice or late. It answers status questions and produces a
settlement file for reconciliation.

A developer tool, mounted at /simulator/ only when ``settings.SIMULATORS``.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import secrets
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

import httpx
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from huey.contrib.djhuey import db_task

from gerbang.core import outgoing
from gerbang.payments import qris
from gerbang.payments.providers import Event, SignatureError, signed_headers, verify
from gerbang.simulators.models import SimulatedBill, SimulatedPayment, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Ways an attempt to pay fails, as a tester picks them. The provider's webhook carries the
# English reason, as a real provider's would; the simulator's page shows it translated.
FAILURES = {
    "insufficient_funds": gettext_noop("Insufficient funds"),
    "declined": gettext_noop("Declined by the issuing bank"),
    "timeout": gettext_noop("The payer did not confirm in time"),
}


def http_client() -> httpx.Client:
    """The client the simulator sends webhooks with (tests route it to the app in-process)."""
    return outgoing.http_client(timeout=10.0)


def webhook_url() -> str:
    return f"{settings.SITE_URL}/payments/webhook/{settings.PAYMENT_PROVIDER}/"


def _verified(request: HttpRequest) -> JsonResponse | None:
    try:
        verify(
            settings.PAYMENT_PROVIDER_API_KEY,
            request.headers,
            request.body,
            tolerance=settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
        )
    except SignatureError as error:
        return JsonResponse({"error": str(error)}, status=401)
    return None


# --- The provider's API, called by Gerbang ----------------------------------------------------


@csrf_exempt
@require_POST
def api_register_bill(request: HttpRequest) -> HttpResponse:
    refused = _verified(request)
    if refused:
        return refused
    try:
        data = json.loads(request.body)
        expires_at = parse_datetime(str(data["expires_at"]))
        values = {
            "billing_code": str(data["billing_code"]),
            "amount": int(data["amount"]),
            "currency": str(data["currency"]),
            "description": str(data.get("description", ""))[:200],
            "qris_payload": str(data.get("qris_payload", "")),
            "expires_at": expires_at,
        }
        reference = str(data["reference"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed bill"}, status=400)
    if expires_at is None:
        return JsonResponse({"error": "malformed expires_at"}, status=400)
    _bill, created = SimulatedBill.objects.update_or_create(reference=reference, defaults=values)
    return JsonResponse({"reference": reference}, status=201 if created else 200)


@csrf_exempt
@require_GET
def api_bill_status(request: HttpRequest, reference: str) -> HttpResponse:
    refused = _verified(request)
    if refused:
        return refused
    bill = SimulatedBill.objects.filter(reference=reference).first()
    if bill is None:
        return JsonResponse({"error": "unknown bill"}, status=404)
    payment = _settling(bill).order_by("paid_at").first()
    if payment is None:
        status = "expired" if bill.expires_at < timezone.now() else "open"
        return JsonResponse({"reference": reference, "status": status})
    if payment.refunded_at is not None:
        return JsonResponse({"reference": reference, "status": "refunded"})
    body = _event_body(payment, Event.SUCCEEDED)
    del body["event"]
    return JsonResponse({"reference": reference, "status": "paid", **body})


def _event_body(payment: SimulatedPayment, event: str) -> dict[str, Any]:
    """A notification as the protocol describes it (``gerbang.payments.providers``)."""
    body: dict[str, Any] = {
        "event": event,
        "transaction_id": payment.transaction_id,
        "reference": payment.bill.reference,
        "billing_code": payment.bill.billing_code,
        "amount": payment.amount,
        "currency": payment.currency,
    }
    if event == Event.SUCCEEDED:
        body["paid_at"] = payment.paid_at.isoformat()
    elif event == Event.FAILED:
        body.update(
            failed_at=payment.paid_at.isoformat(),
            failure_code=payment.failure_code,
            failure_reason=FAILURES.get(payment.failure_code, ""),
        )
    elif event == Event.REFUNDED and payment.refunded_at is not None:
        body.update(
            refunded_at=payment.refunded_at.isoformat(),
            refund_id=payment.refund_id,
            reason="Refund requested by the merchant",
        )
    return body


# --- Paying, as a tester ----------------------------------------------------------------------


def find_bill(code: str) -> tuple[SimulatedBill | None, str]:
    """A bill from a billing code or a scanned QRIS payload, or why there is none."""
    code = code.strip()
    if code.startswith("000201"):
        try:
            parsed = qris.parse(code)
        except qris.QrisError as error:
            return None, _("The QR payload is not valid: %(error)s") % {"error": error}
        bill = SimulatedBill.objects.filter(reference=parsed.bill_reference).first()
        return bill, "" if bill else _("No bill with this QR code's reference.")
    digits = "".join(code.split())
    bill = SimulatedBill.objects.filter(billing_code=digits).first()
    return bill, "" if bill else _("No bill with this billing code.")


def _settling(bill: SimulatedBill) -> Any:
    """Payments that settled the bill: a payment of another amount or currency leaves a
    fixed-amount bill open (the payer is refunded and may pay the right amount)."""
    return bill.payments.filter(failure_code="", amount=bill.amount, currency=bill.currency)


@transaction.atomic
def pay(
    bill: SimulatedBill,
    *,
    amount: int | None = None,
    currency: str | None = None,
    duplicates: bool = False,
    delay_seconds: int = 0,
    allow_expired: bool = False,
    allow_second: bool = False,
    fail_code: str = "",
) -> SimulatedPayment:
    """Pay a bill, or (with ``fail_code``, a key of FAILURES) make an attempt that fails, and
    notify Gerbang."""
    if _settling(bill).exists() and not allow_second:
        raise ValueError(_("This bill is already paid."))
    if bill.expires_at < timezone.now() and not allow_expired:
        raise ValueError(_("This bill has expired; the provider refuses the payment."))
    payment = SimulatedPayment.objects.create(
        bill=bill,
        transaction_id="SIM" + secrets.token_hex(8).upper(),
        amount=bill.amount if amount is None else amount,
        currency=currency or bill.currency,
        failure_code=fail_code,
    )
    _notify(payment, Event.FAILED if fail_code else Event.SUCCEEDED, duplicates, delay_seconds)
    return payment


@transaction.atomic
def refund(payment: SimulatedPayment, *, duplicates: bool = False) -> SimulatedPayment:
    """Give a payment's money back to the payer, as a merchant asks its provider to, and notify."""
    payment = SimulatedPayment.objects.select_for_update().get(pk=payment.pk)
    if not payment.succeeded:
        raise ValueError(_("A failed attempt took no money; there is nothing to refund."))
    if payment.refunded_at is not None:
        raise ValueError(_("This payment was already refunded."))
    payment.refund_id = "RF" + secrets.token_hex(8).upper()
    payment.refunded_at = timezone.now()
    payment.save(update_fields=["refund_id", "refunded_at"])
    _notify(payment, Event.REFUNDED, duplicates, 0)
    return payment


def _notify(payment: SimulatedPayment, event: str, duplicates: bool, delay_seconds: int) -> None:
    for _copy in range(2 if duplicates else 1):
        delivery = WebhookDelivery.objects.create(payment=payment, event=event)
        transaction.on_commit(partial(_send_later, delivery.pk, delay_seconds))


def _send_later(delivery_id: int, delay: int) -> None:
    if delay > 0:
        deliver_webhook.schedule(args=(delivery_id,), delay=delay)
    else:
        deliver_webhook(delivery_id)


def deliver_once(delivery_id: int) -> bool:
    """One delivery attempt; True when Gerbang answered 2xx."""
    delivery = WebhookDelivery.objects.select_related("payment__bill").get(pk=delivery_id)
    if delivery.delivered_at is not None:
        return True
    body = json.dumps(_event_body(delivery.payment, delivery.event)).encode()
    headers = signed_headers(settings.PAYMENT_WEBHOOK_SECRET, body)
    try:
        with http_client() as client:
            response = client.post(webhook_url(), content=body, headers=headers)
        status = f"HTTP {response.status_code}"
        ok = 200 <= response.status_code < 300
    except httpx.HTTPError as error:
        status, ok = type(error).__name__, False
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1, last_status=status, delivered_at=timezone.now() if ok else None
    )
    return ok


@db_task()
def deliver_webhook(delivery_id: int) -> None:
    """Deliver, and on failure try again after 5, 10, 20 … seconds, as providers do."""
    if deliver_once(delivery_id):
        return
    attempts = WebhookDelivery.objects.get(pk=delivery_id).attempts
    if attempts < MAX_ATTEMPTS and not settings.HUEY.get("immediate"):
        deliver_webhook.schedule(args=(delivery_id,), delay=5 * 2 ** (attempts - 1))


def page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "refund" in request.POST:
        found = SimulatedPayment.objects.filter(transaction_id=request.POST["refund"]).first()
        try:
            if found is None:
                raise ValueError(_("No such payment."))
            refund(found, duplicates="duplicates" in request.POST)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Refunded: %(transaction)s. Gerbang is being notified.")
                % {"transaction": found.transaction_id},
            )
        return redirect("simulators:payment_provider")
    if request.method == "POST":
        bill, problem = find_bill(request.POST.get("code", ""))
        if bill is None:
            messages.error(request, problem)
            return redirect("simulators:payment_provider")
        try:
            amount_text = request.POST.get("amount", "").strip()
            delay = max(0, min(600, int(request.POST.get("delay", "0") or 0)))
            payment = pay(
                bill,
                amount=int(amount_text) if amount_text else None,
                currency=request.POST.get("currency", "").strip().upper() or None,
                duplicates="duplicates" in request.POST,
                delay_seconds=delay,
                allow_expired="allow_expired" in request.POST,
                allow_second="allow_second" in request.POST,
                fail_code=request.POST.get("outcome", "") if request.POST.get("outcome") in FAILURES else "",
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            if payment.succeeded:
                done = _("Paid: transaction %(transaction)s. Gerbang is being notified.")
            else:
                done = _("Failed (%(reason)s): transaction %(transaction)s. Gerbang is being notified.")
            messages.success(
                request,
                done
                % {
                    "transaction": payment.transaction_id,
                    "reason": _(FAILURES.get(payment.failure_code, "")),
                },
            )
        return redirect("simulators:payment_provider")
    return render(
        request,
        "simulators/payment_provider.html",
        {
            "bills": SimulatedBill.objects.prefetch_related("payments")[:20],
            "failures": FAILURES,
            "deliveries": WebhookDelivery.objects.select_related("payment__bill")[:20],
            "webhook_url": webhook_url(),
            "today": timezone.localdate().isoformat(),
        },
    )


@require_GET
def settlement(request: HttpRequest) -> HttpResponse:
    """The day's settlement file, as providers send to their merchants: one line per payment."""
    day = parse_date(request.GET.get("date", "")) or timezone.localdate()
    return HttpResponse(settlement_csv(day), content_type="text/csv; charset=utf-8")


def settlement_csv(day: date) -> str:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    rows = SimulatedPayment.objects.filter(
        failure_code="", paid_at__gte=start, paid_at__lt=start + timedelta(days=1)
    ).select_related("bill")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["transaction_id", "reference", "billing_code", "amount", "currency", "paid_at"])
    for payment in rows.order_by("paid_at"):
        writer.writerow(
            [
                payment.transaction_id,
                payment.bill.reference,
                payment.bill.billing_code,
                payment.amount,
                payment.currency,
                payment.paid_at.isoformat(),
            ]
        )
    return out.getvalue()
