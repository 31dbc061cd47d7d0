"""Finance: reconciliation with a settlement file, anomalies, refunds and the staff pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.applications.tests import factories as f
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import PermissionDenied, ValidationError
from gerbang.payments import reconciliation, services
from gerbang.payments.models import AnomalyKind, Payment, PaymentAnomaly
from gerbang.payments.tests.test_payments import notification, webhook
from gerbang.simulators import payment_provider as simulator
from gerbang.simulators.models import SimulatedBill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


PAID_AT = "2026-11-23T10:00:00+07:00"
DAY = date(2026, 11, 23)


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def paid_online(world: f.World, transaction_id: str, nik: str) -> Payment:
    application = f.submitted(world, applicant=f.UserFactory.create(), answers=f.passport_answers(nik=nik))
    bill = application.bills.get()
    assert webhook(notification(bill, transaction_id=transaction_id, paid_at=PAID_AT)).json() == {
        "result": "paid"
    }
    return Payment.objects.get(receipt_number=transaction_id)


def settlement(*lines: tuple[str, int]) -> str:
    rows = ["transaction_id,reference,billing_code,amount,currency,paid_at"]
    rows += [f"{tx},REF,800000000000000,{amount},IDR,{PAID_AT}" for tx, amount in lines]
    return "\n".join(rows) + "\n"


def test_reconciliation_lists_missing_extra_and_wrong_amounts(world: f.World) -> None:
    paid_online(world, "TX-A", "3171011508900011")
    paid_online(world, "TX-B", "3171011508900012")
    paid_online(world, "TX-C", "3171011508900013")
    text = settlement(("TX-A", 350_000), ("TX-B", 300_000), ("TX-X", 350_000))
    report = reconciliation.reconcile(text=text, day=DAY, provider="simulator", actor=SystemActor("tests"))
    problems = {(m.transaction_id, m.problem) for m in report.mismatches}
    assert report.matched == 1
    assert problems == {("TX-B", "amount"), ("TX-X", "missing"), ("TX-C", "extra")}
    assert PaymentAnomaly.objects.filter(kind=AnomalyKind.SETTLEMENT_MISMATCH).count() == 3
    # Reconciling the same file again records nothing new.
    reconciliation.reconcile(text=text, day=DAY, provider="simulator", actor=SystemActor("tests"))
    assert PaymentAnomaly.objects.filter(kind=AnomalyKind.SETTLEMENT_MISMATCH).count() == 3


def test_reconciliation_with_the_simulators_settlement_file(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    services.bill_register(bill_id=bill.pk)
    payment = simulator.pay(SimulatedBill.objects.get(reference=bill.reference))
    assert simulator.deliver_once(payment.deliveries.get().pk)
    text = simulator.settlement_csv(timezone.localdate())
    report = reconciliation.reconcile(
        text=text, day=timezone.localdate(), provider="simulator", actor=SystemActor("tests")
    )
    assert report.ok and report.matched == 1


def test_unreadable_settlement_file_says_where(world: f.World) -> None:
    with pytest.raises(ValidationError, match="columns"):
        reconciliation.parse("a,b\n1,2\n")
    with pytest.raises(ValidationError, match="Line 3"):
        reconciliation.parse(settlement(("TX-A", 1)) + "TX-B,,,abc,IDR,never\n")


def test_reconcile_command(world: f.World, tmp_path: Path) -> None:
    paid_online(world, "TX-A", "3171011508900011")
    good = tmp_path / "good.csv"
    good.write_text(settlement(("TX-A", 350_000)))
    out = StringIO()
    call_command("reconcile_settlement", str(good), "--day", DAY.isoformat(), stdout=out)
    assert "1 matched, 0 mismatches" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(settlement(("TX-A", 350_000), ("TX-Z", 10)))
    with pytest.raises(CommandError, match="1 mismatches"):
        call_command("reconcile_settlement", str(bad), "--day", DAY.isoformat(), stdout=StringIO())


def test_refund_only_when_policy_allows(world: f.World) -> None:
    finance = staff(Role.NATIONAL_ADMIN, [])
    first = paid_online(world, "TX-A", "3171011508900011")
    with pytest.raises(ValidationError, match="Only a payment made twice"):
        services.refund_record(payment=first, amount=350_000, reason="asked", reference="", actor=finance)
    bill = first.bill
    assert bill is not None
    assert webhook(notification(bill, transaction_id="TX-A2", paid_at=PAID_AT)).json() == {
        "result": "anomaly"
    }
    second = Payment.objects.get(receipt_number="TX-A2")
    with pytest.raises(PermissionDenied):
        services.refund_record(
            payment=second, amount=350_000, reason="paid twice", reference="", actor=world.officer
        )
    with pytest.raises(ValidationError, match="at most"):
        services.refund_record(
            payment=second, amount=400_000, reason="paid twice", reference="", actor=finance
        )
    services.refund_record(
        payment=second, amount=350_000, reason="Paid twice by mistake", reference="TRF-9", actor=finance
    )
    anomaly = PaymentAnomaly.objects.get(kind=AnomalyKind.PAID_TWICE)
    assert anomaly.resolved_at is not None and "Paid twice" in anomaly.resolution
    with pytest.raises(ValidationError, match="already refunded"):
        services.refund_record(payment=second, amount=1, reason="again", reference="", actor=finance)


def test_staff_pages(world: f.World) -> None:
    paid_online(world, "TX-A", "3171011508900011")
    webhook(notification(Payment.objects.get().bill, transaction_id="TX-W", amount=1, paid_at=PAID_AT))  # type: ignore[arg-type]
    supervisor = Client()
    supervisor.cookies["django_language"] = "en"
    sign_in_with_2fa(supervisor, world.supervisor)
    page = supervisor.get(
        "/backoffice/payments/", {"start": "2026-11-01", "end": "2026-11-30"}
    ).content.decode()
    assert "Rp 350,000" in page and "Amount differs from the bill" in page
    assert "Record a refund" not in page  # supervisors see, finance acts
    assert supervisor.get("/backoffice/payments/reconcile/").status_code == 403
    finance_user = staff(Role.NATIONAL_ADMIN, [])
    finance = Client()
    finance.cookies["django_language"] = "en"
    sign_in_with_2fa(finance, finance_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.csv", settlement(("TX-A", 350_000), ("TX-Q", 5)).encode())
    result = finance.post(
        "/backoffice/payments/reconcile/", {"day": "2026-11-23", "file": upload}
    ).content.decode()
    assert "In the file, not recorded by Gerbang" in result and "TX-Q" in result
    anomaly = PaymentAnomaly.objects.get(kind=AnomalyKind.WRONG_AMOUNT)
    finance.post(f"/backoffice/payments/anomalies/{anomaly.pk}/resolve/", {"resolution": "Payer contacted"})
    anomaly.refresh_from_db()
    assert anomaly.resolution == "Payer contacted"
    stranger = staff(Role.SUPERVISOR, [world.other_office])
    other = Client()
    sign_in_with_2fa(other, stranger)
    assert "TX-A" not in other.get("/backoffice/payments/").content.decode()


def test_reconcile_page_offers_yesterday_in_a_form_date_inputs_accept(world: f.World) -> None:
    finance = Client()
    finance.cookies["django_language"] = "en"
    sign_in_with_2fa(finance, staff(Role.NATIONAL_ADMIN, []))
    page = finance.get("/backoffice/payments/reconcile/").content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    assert f'type="date" name="day" value="{yesterday.isoformat()}"' in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = finance.post(
        "/backoffice/payments/reconcile/",
        {"day": yesterday.isoformat(), "file": SimpleUploadedFile("s.csv", b"foo,bar\n1,2\n")},
    )
    assert bad.status_code == 400 and "lacks the columns" in bad.content.decode()
