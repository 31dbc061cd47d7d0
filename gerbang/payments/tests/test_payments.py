"""Bills, QRIS, the provider protocol, the webhook's refusals and anomalies, idempotency,
polling for lost notifications, and re-issuing an expired bill."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.applications import services as applications
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core.tests.concurrency import in_parallel
from gerbang.payments import billing, qris, services
from gerbang.payments.models import AnomalyKind, Bill, BillStatus, Payment, PaymentAnomaly
from gerbang.payments.providers import signed_headers
from gerbang.simulators import payment_provider as simulator
from gerbang.simulators.models import SimulatedBill


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


class TestQris:
    @pytest.mark.parametrize(
        ("payload", "crc"),
        [
            # Published examples (go-qris README; a merchant's static QRIS).
            (
                "00020101021226380016ID.CO.SHOPEE.WWW010201020815863724530336054061440005802ID"
                "5921PT. SHOPPEE INDONESIA6007JAKARTA62180814gen by go-qris6304",
                "9635",
            ),
            (
                "00020101021126670016COM.NOBUBANK.WWW01189360050300000879140214703239147837910303UMI"
                "51440014ID.CO.QRIS.WWW0215ID20232709941630303UMI5204481253033605802ID5923GRANOOL STORE OK1229577"
                "6006KEDIRI61056421262070703A016304",
                "7127",
            ),
            ("123456789", "29B1"),  # the CRC-16/CCITT-FALSE check value
        ],
    )
    def test_crc_matches_published_values(self, payload: str, crc: str) -> None:
        assert qris.crc16_ccitt_false(payload) == crc

    def test_build_and_parse_back(self) -> None:
        payload = qris.build(merchant=services.merchant(), amount=350_000, bill_reference="GRBTEST0000001")
        parsed = qris.parse(payload)
        assert parsed.dynamic and parsed.amount == 350_000 and parsed.currency == "360"
        assert parsed.bill_reference == "GRBTEST0000001"
        assert parsed.fields["58"] == "ID" and parsed.fields["52"] == "9399"
        assert payload[-8:-4] == "6304"
        tampered = payload.replace("350000", "350001")
        with pytest.raises(qris.QrisError, match="CRC"):
            qris.parse(tampered)

    def test_billing_code(self) -> None:
        code = billing.new_billing_code()
        assert len(code) == 15 and code.startswith("8") and billing.is_billing_code(code)
        assert not billing.is_billing_code(code[:-1] + str((int(code[-1]) + 1) % 10))
        assert billing.format_billing_code(code).count(" ") == 3


@pytest.fixture
def world(db: None) -> f.World:
    return f.make_world()


def webhook(body: dict[str, Any], *, secret: str | None = None, timestamp: float | None = None) -> Any:
    raw = json.dumps(body).encode()
    headers = signed_headers(secret or settings.PAYMENT_WEBHOOK_SECRET, raw, now=timestamp)
    # The request activates its own language in this thread; the test's comes back after it.
    with translation.override(translation.get_language()):
        return Client().post(
            f"/payments/webhook/{settings.PAYMENT_PROVIDER}/",
            data=raw,
            content_type="application/json",
            headers={k: v for k, v in headers.items() if k != "Content-Type"},
        )


def notification(bill: Bill, **overrides: Any) -> dict[str, Any]:
    body = {
        "event": "payment.succeeded",
        "transaction_id": "TX-0001",
        "reference": bill.reference,
        "billing_code": bill.billing_code,
        "amount": bill.amount,
        "currency": "IDR",
        "paid_at": "2026-11-23T10:00:00+07:00",
    }
    body.update(overrides)
    return body


def test_submitting_issues_a_bill(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    assert bill.status == BillStatus.OPEN and bill.amount == 350_000
    assert billing.is_billing_code(bill.billing_code)
    assert bill.expires_at == application.payment_due_at
    parsed = qris.parse(bill.qris_payload)
    assert (parsed.amount, parsed.bill_reference) == (350_000, bill.reference)


def test_registration_and_payment_through_the_simulator(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    assert services.bill_register(bill_id=bill.pk)
    simulated = SimulatedBill.objects.get(reference=bill.reference)
    assert simulated.billing_code == bill.billing_code
    payment = simulator.pay(simulated)
    delivery = payment.deliveries.get()
    assert simulator.deliver_once(delivery.pk)
    application.refresh_from_db()
    bill.refresh_from_db()
    assert application.state == State.PAID and application.due_date is not None
    assert bill.status == BillStatus.PAID
    recorded = Payment.objects.get(receipt_number=payment.transaction_id)
    assert recorded.receipt_code and recorded.bill == bill
    # The same notification again counts once.
    assert webhook(
        notification(bill, transaction_id=payment.transaction_id, amount=payment.amount)
    ).json() == {"result": "duplicate"}
    assert Payment.objects.filter(application=application).count() == 1


class TestWebhookRefusals:
    def test_bad_signature(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        response = webhook(notification(bill), secret="not-the-secret")
        assert response.status_code == 401
        assert not Payment.objects.exists()

    def test_replayed_notification(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        response = webhook(notification(bill), timestamp=time.time() - 3600)
        assert response.status_code == 401
        assert "stale" in response.json()["error"]

    def test_malformed_body(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        response = webhook(notification(bill, amount="350000.50"))
        assert response.status_code == 400

    def test_unknown_bill(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        response = webhook(notification(bill, reference="GRBNOSUCHBILL", billing_code="800000000000000"))
        assert response.json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.UNKNOWN_BILL

    def test_wrong_amount_is_an_anomaly_never_paid(self, world: f.World) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        assert webhook(notification(bill, amount=35_000)).json() == {"result": "anomaly"}
        assert webhook(notification(bill, amount=35_000)).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.filter(kind=AnomalyKind.WRONG_AMOUNT).count() == 1
        application.refresh_from_db()
        assert application.state == State.AWAITING_PAYMENT
        assert not Payment.objects.exists()

    def test_the_payer_is_told_what_arrived_and_what_to_do(self, world: f.World) -> None:
        from gerbang.notifications.models import OutboxMessage

        application = f.submitted(world)
        bill = application.bills.get()
        webhook(notification(bill, amount=100_000))
        webhook(notification(bill, amount=100_000))  # delivered twice, told once
        message = OutboxMessage.objects.get(kind="payment.not_settled")
        assert message.recipient_id == world.applicant.pk
        assert message.context["amount"] == 100_000 and message.context["underpaid"] is True
        browser = Client()
        browser.cookies["django_language"] = "en"
        browser.force_login(world.applicant)
        for page in (f"/applications/{application.pk}/pay/", f"/applications/{application.pk}/"):
            text = browser.get(page).content.decode()
            assert "A payment of Rp 100,000 arrived on" in text and "did not settle the bill" in text
            assert "pay the full amount again" in text
        # The right amount then pays the bill: the wrong one is still said, without "pay again".
        assert webhook(notification(bill, transaction_id="TX-0002")).json() == {"result": "paid"}
        text = browser.get(f"/applications/{application.pk}/").content.decode()
        assert "did not settle the bill" in text and "pay the full amount again" not in text
        officer = Client()
        officer.cookies["django_language"] = "en"
        sign_in_with_2fa(officer, world.officer)
        case_page = officer.get(f"/backoffice/cases/{application.pk}/").content.decode()
        assert "Rp 100,000 arrived on" in case_page and "Amount differs from the bill" in case_page
        # Once finance has dealt with it, the page no longer says it.
        PaymentAnomaly.objects.update(resolved_at=timezone.now(), resolution="refunded")
        assert "did not settle" not in browser.get(f"/applications/{application.pk}/").content.decode()

    def test_an_after_deadline_payment_is_explained_and_no_new_bill_offered(self, world: f.World) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        browser = Client()
        browser.cookies["django_language"] = "en"
        browser.force_login(world.applicant)
        with time_machine.travel(bill.expires_at + timedelta(minutes=5)):
            applications.expire_unpaid()
            webhook(notification(bill))
            page = browser.get(f"/applications/{application.pk}/pay/").content.decode()
        assert "It came after the bill&#x27;s deadline" in page or "It came after the bill's deadline" in page
        assert "Do not pay again" in page
        assert "Ask for a new bill" not in page

    def test_wrong_currency(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        assert webhook(notification(bill, currency="USD")).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.WRONG_CURRENCY

    def test_payment_after_expiry_is_recorded_and_flagged(self, world: f.World) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        with time_machine.travel(bill.expires_at + timedelta(minutes=5)):
            assert applications.expire_unpaid() == 1
            assert webhook(notification(bill)).json() == {"result": "anomaly"}
        application.refresh_from_db()
        bill.refresh_from_db()
        assert application.state == State.EXPIRED and bill.status == BillStatus.EXPIRED
        payment = Payment.objects.get(receipt_number="TX-0001")
        anomaly = PaymentAnomaly.objects.get(kind=AnomalyKind.AFTER_EXPIRY)
        assert anomaly.payment == payment
        # With a payment on record, a new bill is not offered; the office sorts it out.
        with translation.override("en"), pytest.raises(Exception, match="already received"):
            applications.bill_reissue(application=application, actor=world.applicant)

    def test_paid_twice(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        assert webhook(notification(bill)).json() == {"result": "paid"}
        assert webhook(notification(bill, transaction_id="TX-0002")).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.PAID_TWICE
        assert Payment.objects.count() == 2


def test_lost_notification_found_by_asking_the_provider(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    services.bill_register(bill_id=bill.pk)
    simulator.pay(SimulatedBill.objects.get(reference=bill.reference))  # the webhook never leaves
    with time_machine.travel(bill.expires_at - timedelta(minutes=10)):
        counts = services.bills_check_with_provider()
    assert counts["paid"] == 1
    application.refresh_from_db()
    assert application.state == State.PAID


def test_expired_bill_can_be_issued_again_but_a_paid_one_never(world: f.World) -> None:
    application = f.submitted(world)
    first = application.bills.get()
    with time_machine.travel(first.expires_at + timedelta(minutes=1)):
        applications.expire_unpaid()
        again = applications.bill_reissue(
            application=Application.objects.get(pk=application.pk), actor=world.applicant
        )
    assert again.state == State.AWAITING_PAYMENT
    bills = list(again.bills.order_by("issued_at"))
    assert [b.status for b in bills] == [BillStatus.EXPIRED, BillStatus.OPEN]
    assert bills[1].billing_code != bills[0].billing_code and bills[1].amount == bills[0].amount


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent delivery needs a server database")
def test_the_same_notification_twice_at_once_pays_once() -> None:
    world = f.make_world()
    bill = f.submitted(world).bills.get()
    results = in_parallel([lambda: webhook(notification(bill)).json()["result"]] * 2)
    assert sorted(results) == ["duplicate", "paid"]
    assert Payment.objects.count() == 1


def test_pay_page_shows_code_qr_and_deadline_then_follows_the_payment(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(world.applicant)
    page = browser.get(f"/applications/{application.pk}/pay/").content.decode()
    assert billing.format_billing_code(bill.billing_code) in page
    assert "<svg" in page and "Pay Rp 350,000" in page
    assert "Pay before" in page
    # "I have paid": the provider does not know of a payment yet.
    services.bill_register(bill_id=bill.pk)
    checked = browser.post(f"/applications/{application.pk}/pay/", follow=True).content.decode()
    assert "has not arrived yet" in checked
    simulator.pay(SimulatedBill.objects.get(reference=bill.reference))
    browser.post(f"/applications/{application.pk}/pay/")
    application.refresh_from_db()
    assert application.state == State.PAID
    # The page's own refresh (htmx) is sent on to the case page.
    polled = browser.get(f"/applications/{application.pk}/pay/", headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == f"/applications/{application.pk}/"
    other = Client()
    other.force_login(f.UserFactory.create())
    assert other.get(f"/applications/{application.pk}/pay/").status_code == 404


def test_pay_page_offers_a_new_bill_after_expiry(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(world.applicant)
    with time_machine.travel(bill.expires_at + timedelta(minutes=1)):
        applications.expire_unpaid()
        assert "Ask for a new bill" in browser.get(f"/applications/{application.pk}/pay/").content.decode()
        browser.post(f"/applications/{application.pk}/pay/", {"reissue": "1"})
    application.refresh_from_db()
    assert application.state == State.AWAITING_PAYMENT
    assert application.bills.filter(status=BillStatus.OPEN).count() == 1


def test_receipt_pdf_and_its_public_verification(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    assert webhook(notification(bill)).json() == {"result": "paid"}
    payment = Payment.objects.get()
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(world.applicant)
    case_page = browser.get(f"/applications/{application.pk}/").content.decode()
    assert f"/applications/{application.pk}/receipts/{payment.receipt_code}.pdf" in case_page
    pdf = browser.get(f"/applications/{application.pk}/receipts/{payment.receipt_code}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (
        Client().get(f"/applications/{application.pk}/receipts/{payment.receipt_code}.pdf").status_code == 302
    )
    public = Client()
    public.cookies["django_language"] = "en"
    genuine = public.get(f"/receipts/{str(payment.receipt_code).lower()}/")
    assert genuine.status_code == 200
    body = genuine.content.decode()
    assert "Genuine" in body and "Rp 350,000" in body and str(application.number) in body
    assert "Budi" not in body and f.NIK_MAN not in body
    forged = public.get("/receipts/KW-AAAAAAAAAAAA/")
    assert forged.status_code == 404 and "Not found" in forged.content.decode()


class TestEvents:
    """Only a payment.succeeded pays; failures and refunds are recorded as what they are;
    anything else is an anomaly. Values are compared exactly as sent."""

    @pytest.mark.parametrize("event", ["payment.failed", "payment.refunded", "payment.pending", None, ""])
    def test_only_the_success_event_pays(self, world: f.World, event: str | None) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        body = notification(
            bill, failed_at="2026-11-23T10:00:00+07:00", refunded_at="2026-11-23T10:00:00+07:00"
        )
        body["refund_id"] = "RF-1"
        if event is None:
            del body["event"]
        else:
            body["event"] = event
        result = webhook(body).json()["result"]
        application.refresh_from_db()
        bill.refresh_from_db()
        assert application.state == State.AWAITING_PAYMENT and bill.status == BillStatus.OPEN
        assert not Payment.objects.exists()
        if event == "payment.failed":
            assert result == "failed"
        elif event == "payment.refunded":  # of a payment we never had
            assert result == "anomaly"
            assert PaymentAnomaly.objects.get().kind == AnomalyKind.UNKNOWN_PAYMENT
        else:
            assert result == "anomaly"
            assert PaymentAnomaly.objects.get().kind == AnomalyKind.UNKNOWN_EVENT

    def test_a_failed_attempt_is_recorded_once_and_the_bill_stays_payable(self, world: f.World) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        failed = notification(
            bill,
            event="payment.failed",
            transaction_id="TX-F1",
            failed_at="2026-11-23T10:00:00+07:00",
            failure_reason="Insufficient funds",
        )
        assert webhook(failed).json() == {"result": "failed"}
        assert webhook(failed).json() == {"result": "duplicate"}
        failure = bill.failures.get()
        assert (failure.transaction_id, failure.reason) == ("TX-F1", "Insufficient funds")
        assert webhook(notification(bill, transaction_id="TX-OK")).json() == {"result": "paid"}
        # The failed transaction said to have succeeded after all: a person must look.
        assert webhook(notification(bill, transaction_id="TX-F1")).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.CONFLICTING

    def test_a_refund_of_the_payment_of_a_paid_case(self, world: f.World) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        assert webhook(notification(bill)).json() == {"result": "paid"}
        refunded = notification(
            bill, event="payment.refunded", refunded_at="2026-11-24T09:00:00+07:00", refund_id="RF-9"
        )
        assert webhook(refunded).json() == {"result": "refunded"}
        assert webhook(refunded).json() == {"result": "duplicate"}
        bill.refresh_from_db()
        assert bill.status == BillStatus.REFUNDED
        refund = Payment.objects.get().refund
        assert (refund.amount, refund.reference, refund.source) == (350_000, "RF-9", "provider")
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.PAID_CASE_REFUNDED
        # Another refund of the same payment does not add up to more than was paid.
        again = {**refunded, "refund_id": "RF-10"}
        assert webhook(again).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.filter(kind=AnomalyKind.REFUND_MISMATCH).count() == 1

    def test_a_refund_of_a_second_payment_settles_its_anomaly(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        webhook(notification(bill))
        webhook(notification(bill, transaction_id="TX-0002"))
        refunded = notification(
            bill,
            event="payment.refunded",
            transaction_id="TX-0002",
            refunded_at="2026-11-24T09:00:00+07:00",
            refund_id="RF-2",
        )
        assert webhook(refunded).json() == {"result": "refunded"}
        bill.refresh_from_db()
        assert bill.status == BillStatus.PAID  # the first payment still pays it
        twice = PaymentAnomaly.objects.get(kind=AnomalyKind.PAID_TWICE)
        assert twice.resolved_at is not None and "RF-2" in twice.resolution

    @pytest.mark.parametrize("amount", [350_001, 0])
    def test_a_refund_of_more_than_was_paid_or_nothing(self, world: f.World, amount: int) -> None:
        bill = f.submitted(world).bills.get()
        webhook(notification(bill))
        refunded = notification(
            bill,
            event="payment.refunded",
            refunded_at="2026-11-24T09:00:00+07:00",
            refund_id="R",
            amount=amount,
        )
        assert webhook(refunded).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.REFUND_MISMATCH
        bill.refresh_from_db()
        assert bill.status == BillStatus.PAID

    @pytest.mark.parametrize("currency", ["IDRX", "idr", "ID", "IDR "])
    def test_the_currency_is_compared_exactly(self, world: f.World, currency: str) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        assert webhook(notification(bill, currency=currency)).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.WRONG_CURRENCY
        application.refresh_from_db()
        assert application.state == State.AWAITING_PAYMENT

    def test_the_bill_is_named_exactly(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        longer = notification(bill, reference=bill.reference + "X", billing_code=bill.billing_code + "9")
        assert webhook(longer).json() == {"result": "anomaly"}
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.UNKNOWN_BILL

    def test_a_transaction_id_too_long_to_keep_is_refused(self, world: f.World) -> None:
        bill = f.submitted(world).bills.get()
        response = webhook(notification(bill, transaction_id="T" * 65))
        assert response.status_code == 400 and "transaction_id" in response.json()["error"]
        assert not Payment.objects.exists() and not PaymentAnomaly.objects.exists()

    def test_a_payment_after_the_deadline_counts_before_the_sweep(self, world: f.World) -> None:
        application = f.submitted(world)
        bill = application.bills.get()
        late = (bill.expires_at + timedelta(seconds=1)).isoformat()
        # The expiry sweep has not run: the bill is still open. The deadline is the bill's.
        assert webhook(notification(bill, paid_at=late)).json() == {"result": "anomaly"}
        application.refresh_from_db()
        bill.refresh_from_db()
        assert application.state == State.AWAITING_PAYMENT and bill.status == BillStatus.OPEN
        assert PaymentAnomaly.objects.get().kind == AnomalyKind.AFTER_EXPIRY
        assert Payment.objects.get().receipt_number == "TX-0001"  # the money is on record
        on_time = (bill.expires_at - timedelta(seconds=1)).isoformat()
        assert webhook(notification(bill, transaction_id="TX-2", paid_at=on_time)).json() == {
            "result": "paid"
        }


def test_the_simulator_fails_an_attempt_and_refunds_a_payment(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    services.bill_register(bill_id=bill.pk)
    simulated = SimulatedBill.objects.get(reference=bill.reference)
    failed = simulator.pay(simulated, fail_code="declined")
    assert simulator.deliver_once(failed.deliveries.get().pk)
    assert bill.failures.get().reason == "Declined by the issuing bank"
    paid = simulator.pay(simulated)
    assert simulator.deliver_once(paid.deliveries.get().pk)
    application.refresh_from_db()
    assert application.state == State.PAID
    simulator.refund(paid)
    assert simulator.deliver_once(paid.deliveries.get(event="payment.refunded").pk)
    bill.refresh_from_db()
    assert bill.status == BillStatus.REFUNDED
    with pytest.raises(ValueError, match="already refunded"):
        simulator.refund(paid)
    with pytest.raises(ValueError, match="nothing to refund"):
        simulator.refund(failed)


def test_the_pay_page_tells_of_a_failed_attempt(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(world.applicant)
    failed = notification(
        bill, event="payment.failed", failed_at="2026-11-23T10:00:00+07:00", failure_reason="Kartu ditolak"
    )
    webhook(failed)
    page = browser.get(f"/applications/{application.pk}/pay/").content.decode()
    assert "did not go through: Kartu ditolak" in page  # a reason we have no code for: as given
    assert "No money was taken" in page
    # A coded reason is said in the reader's language.
    webhook(
        {
            **failed,
            "transaction_id": "TX-F2",
            "failed_at": "2026-11-23T10:05:00+07:00",
            "failure_code": "insufficient_funds",
        }
    )
    page = browser.get(f"/applications/{application.pk}/pay/").content.decode()
    assert "did not go through: there was not enough money in the account" in page


def test_a_refund_is_told_to_the_applicant_and_shown_to_both_sides(
    world: f.World, staff_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gerbang.notifications.models import OutboxMessage

    application = f.submitted(world)
    bill = application.bills.get()
    webhook(notification(bill))
    with django_capture_on_commit_callbacks(execute=True):
        webhook(
            notification(
                bill, event="payment.refunded", refunded_at="2026-11-24T09:00:00+07:00", refund_id="RF-9"
            )
        )
    message = OutboxMessage.objects.get(kind="payment.refunded")
    assert message.recipient == world.applicant and message.context["paid_case"] is True
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(world.applicant)
    assert "refunded Rp 350,000" in browser.get(f"/applications/{application.pk}/").content.decode()
    officer = staff_client(world.officer)
    officer.cookies["django_language"] = "en"
    case = officer.get(f"/backoffice/cases/{application.pk}/").content.decode()
    assert "refunded Rp 350,000" in case and "Refunded through the payment provider" in case


def test_pay_through_the_api(world: f.World) -> None:
    """The bill as JSON (billing code, QRIS text, deadline), "I have paid" before and after the
    payment arrives, the receipt; a new bill after expiry; nobody else's bill."""
    application = f.submitted(world)
    bill = application.bills.get()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.applicant)
    url = f"/api/v1/applications/{application.pk}/payment"
    shown = client.get(url).json()
    assert shown["application_state"] == "awaiting_payment" and shown["receipts"] == []
    assert shown["bill"]["billing_code"] == billing.format_billing_code(bill.billing_code)
    assert qris.parse(shown["bill"]["qris"]).amount == 350_000 == shown["bill"]["amount"]
    services.bill_register(bill_id=bill.pk)
    early = client.post(f"{url}/check")
    assert early.status_code == 200 and early.json()["arrived"] is False
    simulator.pay(SimulatedBill.objects.get(reference=bill.reference))
    paid = client.post(f"{url}/check").json()
    assert paid["arrived"] is True and paid["application_state"] == "paid"
    (receipt,) = paid["receipts"]
    assert receipt["amount"] == 350_000 and receipt["method"] == "provider"
    assert receipt["verify_url"].endswith(f"/{receipt['code']}/")
    again = client.post(f"{url}/check")
    assert again.status_code == 409 and again.json()["field"] == "bill"
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en")
    stranger.force_login(f.UserFactory.create())
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_a_new_bill_through_the_api_after_expiry(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.applicant)
    url = f"/api/v1/applications/{application.pk}/payment"
    refused = client.post(f"{url}/new-bill")
    assert refused.status_code in (400, 409) and refused.json()["detail"]
    with time_machine.travel(bill.expires_at + timedelta(minutes=1)):
        applications.expire_unpaid()
        assert client.get(url).json()["bill"]["status"] == "expired"
        renewed = client.post(f"{url}/new-bill").json()
    assert renewed["application_state"] == "awaiting_payment" and renewed["bill"]["status"] == "open"
    assert renewed["bill"]["billing_code"] != billing.format_billing_code(bill.billing_code)
