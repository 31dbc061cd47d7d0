"""An applicant pays through the provider simulator, sees the case move to paid by itself,
finds the message in the inbox and the email, and downloads a receipt whose verification page
says it is genuine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from pypdf import PdfReader

from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.payments.models import Payment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pay_with_the_billing_code_in_the_simulator(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    world = f.make_world()
    application = f.submitted(world)
    bill = application.bills.get()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])

    page = browser_context.new_page()
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(world.applicant.email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + f"/applications/{application.pk}/")
    page.get_by_role("link", name="Pay now").click()
    page.get_by_role("heading", name="Pay Rp 350,000").wait_for()
    assert page.locator("figure.qr svg").count() == 1
    page.screenshot(path=str(artifacts / "e2e-pay.png"), full_page=True)

    # In another tab, the "bank": pay the billing code in the provider simulator.
    bank = browser_context.new_page()
    bank.goto(base + "/simulator/payment-provider/")
    bank.get_by_label("Billing code or QRIS payload").fill(bill.billing_code)
    bank.get_by_role("button", name="Pay").click()
    bank.get_by_text("Gerbang is being notified").wait_for()

    # The payment page notices by itself and shows the case, now paid.
    page.wait_for_url(f"{base}/applications/{application.pk}/", timeout=15_000)
    page.get_by_text("Payment received.").first.wait_for()
    assert Application.objects.get(pk=application.pk).state == State.PAID
    payment = Payment.objects.get(application=application)
    assert payment.bill == bill

    # Told without asking: the inbox (with its unread count) and an email.
    page.reload()
    page.get_by_role("link", name=re.compile("Inbox")).click()
    page.get_by_text(f"Payment received for application {application.number}").first.wait_for()
    assert any(f"Payment received for application {application.number}" in m.subject for m in mail.outbox)

    # The receipt, and its QR code's page: genuine.
    page.goto(base + f"/applications/{application.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the receipt (PDF)").click()
    receipt = download_info.value.path()
    text = PdfReader(str(receipt)).pages[0].extract_text()
    assert str(payment.receipt_code) in text
    # The verification address printed under the QR code (the PDF may break it across lines).
    verify_url = f"{base}/receipts/{payment.receipt_code}/"
    assert verify_url in "".join(text.split())
    checker = browser_context.new_page()
    checker.goto(verify_url)
    checker.get_by_text("Genuine: Gerbang issued this receipt.").wait_for()
    checker.screenshot(path=str(artifacts / "e2e-receipt-verified.png"), full_page=True)
