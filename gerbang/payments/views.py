"""The provider's webhook and the applicant's payment page.

The webhook answers 401 to a bad signature or a replay, 400 to a body it
cannot read, and 200 to anything it has recorded (a payment, a duplicate or an anomaly), so
the provider stops retrying only once the notification is safe with us."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.applications import services as applications
from gerbang.applications.selectors import application_of
from gerbang.applications.workflow import State
from gerbang.core.exceptions import ApplicationError
from gerbang.core.pdf import render_pdf
from gerbang.payments import selectors, services
from gerbang.payments.billing import format_billing_code
from gerbang.payments.models import BillStatus
from gerbang.payments.providers import (
    MalformedNotification,
    ProviderUnavailable,
    SignatureError,
    get_provider,
)

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        adapter = get_provider(provider)
    except LookupError:
        return JsonResponse({"error": "unknown provider"}, status=404)
    try:
        notification = adapter.parse_webhook(request.headers, request.body)
    except SignatureError as error:
        logger.warning("payment webhook refused: %s", error)
        return JsonResponse({"error": str(error)}, status=401)
    except MalformedNotification as error:
        logger.warning("payment webhook malformed: %s", error)
        return JsonResponse({"error": str(error)}, status=400)
    result = services.payment_notification_receive(provider=adapter.name, notification=notification)
    logger.info("payment webhook %s: %s", notification.transaction_id, result)
    return JsonResponse({"result": result})


# --- The applicant's payment page -------------------------------------------------------------


def _own_application(request: HttpRequest, pk: int) -> Any:
    application = application_of(request.user, pk)
    if application is None:
        raise Http404
    return application


@never_cache
@login_required
def pay(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Billing code, QRIS and the deadline; checks the provider on request and refreshes itself."""
    application = _own_application(request, pk)
    bill = selectors.current_bill(application)
    if request.method == "POST":
        try:
            if "reissue" in request.POST:
                applications.bill_reissue(application=application, actor=request.user)
                messages.success(request, _("A new bill was issued."))
            elif bill is not None and bill.status == BillStatus.OPEN:
                result = services.bill_check_now(bill=bill)
                if result == "open":
                    messages.info(request, _("The payment has not arrived yet. It can take a few minutes."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        except ProviderUnavailable:
            messages.error(request, _("The payment provider cannot be reached right now; we keep checking."))
        return redirect("payments:pay", pk=pk)
    if application.state != State.AWAITING_PAYMENT and application.state != State.EXPIRED:
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("applications:detail", args=[pk])
            return response
        return redirect("applications:detail", pk=pk)
    unsettled = selectors.unsettled_payments(application)
    context = {
        "application": application,
        "bill": bill,
        "qr": selectors.bill_qr(bill) if bill and bill.status == BillStatus.OPEN else "",
        "failure": bill.failures.first() if bill and bill.status == BillStatus.OPEN else None,
        "unsettled": unsettled,
        # Money that came after the deadline waits for the office: no new bill, no paying again.
        "money_waiting": any(u.problem == "after_expiry" for u in unsettled),
        "billing_code": format_billing_code(bill.billing_code) if bill else "",
        "simulator": settings.SIMULATORS,
        "seconds_left": max(0, int((bill.expires_at - timezone.now()).total_seconds())) if bill else 0,
    }
    return render(request, "payments/pay.html", context)


@login_required
def receipt_pdf(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    application = _own_application(request, pk)
    payment = application.payments.filter(receipt_code=code).first()
    if payment is None:
        raise Http404
    pdf = render_pdf("payments/receipt_pdf.html", selectors.receipt_context(payment))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def receipt_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone holding a receipt can check here whether Gerbang issued it."""
    payment = selectors.receipt_by_code(code)
    context = selectors.receipt_context(payment) if payment else {"code": code}
    return render(request, "payments/receipt_verify.html", context, status=200 if payment else 404)
