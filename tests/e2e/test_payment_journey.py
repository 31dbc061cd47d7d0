"""An applicant pays through the provider simulator and sees the case move to paid by itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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
    assert Payment.objects.get(application=application).bill == bill
