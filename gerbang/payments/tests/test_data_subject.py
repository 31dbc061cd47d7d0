"""``payments/data_subject.py``: the bills, payments and refunds a person gets back, and what
their erasure keeps (UU PDP)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.core import data_subjects
from gerbang.core.calendar import years_later
from gerbang.core.models import Event
from gerbang.payments import data_subject
from gerbang.payments.models import AnomalyKind, Bill, Payment, PaymentAnomaly, PaymentFailure, Refund

pytestmark = pytest.mark.django_db

YEARS = 10


@pytest.fixture(autouse=True)
def _retention(settings: Any) -> None:
    settings.DATA_RETENTION_YEARS = {**settings.DATA_RETENTION_YEARS, "payments": YEARS}


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def siti_case(world: f.World) -> Application:
    siti = UserFactory.create(full_name="Siti Rahmawati")
    answers = f.passport_answers(full_name="Siti Rahmawati", sex="F", nik=f.NIK_WOMAN)
    return f.paid(world, answers=answers, applicant=siti)


def with_records(application: Application, tag: str) -> Payment:
    """A paid case with a refund, a failed attempt and a resolved anomaly, their texts tagged."""
    payment = Payment.objects.get(application=application)
    bill = Bill.objects.get(application=application)
    PaymentFailure.objects.create(
        bill=bill,
        provider="sim",
        transaction_id=f"TX-F-{tag}",
        amount=bill.amount,
        reason=f"Kartu ditolak {tag}",
        failed_at=timezone.now(),
    )
    anomaly = PaymentAnomaly.objects.create(
        kind=AnomalyKind.PAID_TWICE,
        provider="sim",
        transaction_id=f"TX-A-{tag}",
        bill=bill,
        payment=payment,
        office_id=application.office_id,
        resolved_at=timezone.now(),
        resolution=f"Dikembalikan ke rekening {tag}",
    )
    assert anomaly.pk
    Refund.objects.create(
        payment=payment, amount=payment.amount, reason=f"Bayar dua kali {tag}", reference=f"TRF-{tag}"
    )
    return payment


def age(payment: Payment, years: int, days: int = 0) -> None:
    """Move every record of the payment's case ``years`` (and ``days``) into the past."""
    moment = years_later(timezone.now(), -years) - timedelta(days=days)
    Bill.objects.filter(application=payment.application).update(
        issued_at=moment, paid_at=moment, expires_at=moment
    )
    Payment.objects.filter(pk=payment.pk).update(created_at=moment)
    Refund.objects.filter(payment=payment).update(created_at=moment)
    PaymentFailure.objects.filter(bill__application=payment.application).update(failed_at=moment)
    PaymentAnomaly.objects.filter(payment=payment).update(resolved_at=moment)


def test_the_export_holds_the_persons_payments_and_nothing_of_another_person(world: f.World) -> None:
    mine = with_records(f.paid(world), "BUDI")
    theirs = with_records(siti_case(world), "SITI")

    sections = {s.key: s for s in data_subject.export(world.applicant)}
    text = json.dumps([s.rows for s in sections.values()], cls=DjangoJSONEncoder)

    assert [row["receipt_number"] for row in sections["payments.payments"].rows] == [mine.receipt_number]
    assert sections["payments.payments"].rows[0]["recorded_by"].endswith(str(world.office.name))
    assert sections["payments.refunds"].rows[0]["reason"] == "Bayar dua kali BUDI"
    assert sections["payments.failures"].rows[0]["reason"] == "Kartu ditolak BUDI"
    assert sections["payments.anomalies"].rows[0]["resolution"] == "Dikembalikan ke rekening BUDI"
    assert len(sections["payments.bills"].rows) == 1
    assert world.officer.full_name not in text
    assert "SITI" not in text and theirs.receipt_number not in text
    assert str(theirs.application.number) not in text


def test_money_not_settled_blocks_erasure_until_finance_deals_with_it(world: f.World) -> None:
    case = f.paid(world)
    assert data_subject.blockers(world.applicant) == []
    anomaly = PaymentAnomaly.objects.create(
        kind=AnomalyKind.PAID_TWICE,
        provider="sim",
        transaction_id="TX-2",
        bill=Bill.objects.get(application=case),
    )
    found = data_subject.blockers(world.applicant)
    assert [b.url for b in found] == [reverse("applications:detail", args=[case.pk])]
    assert str(case.number) in str(found[0].text)
    PaymentAnomaly.objects.filter(pk=anomaly.pk).update(resolved_at=timezone.now(), resolution="ok")
    assert data_subject.blockers(world.applicant) == []


def test_erasure_keeps_recent_records_and_erases_the_texts_of_old_ones(world: f.World) -> None:
    old = with_records(f.paid(world), "OLD")
    age(old, YEARS, days=1)
    recent = with_records(f.paid(world), "NEW")
    age(recent, 2)
    other = with_records(siti_case(world), "SITI")
    age(other, YEARS, days=1)
    now = timezone.now()
    events = Event.objects.count()

    planned = data_subject.erase(world.applicant, now, True)
    assert Event.objects.count() == events
    assert Refund.objects.get(payment=old).reason == "Bayar dua kali OLD"  # a dry run writes nothing
    done = data_subject.erase(world.applicant, now, False)
    assert [(o.erased, o.kept, o.kept_until) for o in planned] == [
        (o.erased, o.kept, o.kept_until) for o in done
    ]

    outcome = done[0]
    # Bill, payment, refund and failure of each case.
    assert (outcome.erased, outcome.kept) == (4, 4)
    recent.refresh_from_db()
    latest = max(
        [recent.created_at, Refund.objects.get(payment=recent).created_at]
        + [bill.paid_at or bill.expires_at for bill in Bill.objects.filter(application=recent.application)]
    )
    assert outcome.kept_until == timezone.localtime(years_later(latest, YEARS)).date()
    old_refund = Refund.objects.get(payment=old)
    assert (old_refund.reason, old_refund.reference, old_refund.amount) == ("", "", old.amount)
    assert PaymentFailure.objects.get(bill__application=old.application).reason == ""
    assert PaymentAnomaly.objects.get(payment=old).resolution == ""
    assert Refund.objects.get(payment=recent).reason == "Bayar dua kali NEW"
    # Another person's old records wait for the sweep, not for this person's request.
    assert Refund.objects.get(payment=other).reason == "Bayar dua kali SITI"
    assert Event.objects.filter(code="payment.personal_data_erased").count() == 3


def test_expire_erases_every_old_text_once(world: f.World) -> None:
    old = with_records(f.paid(world), "OLD")
    age(old, YEARS, days=1)
    recent = with_records(f.paid(world), "NEW")
    now = timezone.now()
    assert data_subject.expire(now, True)[0].erased == 3
    assert Refund.objects.get(payment=old).reason == "Bayar dua kali OLD"
    assert data_subject.expire(now, False)[0].erased == 3
    assert Refund.objects.get(payment=old).reason == ""
    assert Refund.objects.get(payment=recent).reason == "Bayar dua kali NEW"
    assert data_subject.expire(now, False)[0].erased == 0


def test_owners_trace_bills_payments_and_anomalies_to_the_payer(world: f.World) -> None:
    payment = with_records(f.paid(world), "BUDI")
    bill = Bill.objects.get(application=payment.application)
    anomaly = PaymentAnomaly.objects.get(payment=payment)
    stray = PaymentAnomaly.objects.create(
        kind=AnomalyKind.UNKNOWN_BILL, provider="sim", transaction_id="TX-X"
    )
    me = world.applicant.pk
    assert data_subjects.owners_of("payments.bill", [str(bill.pk), str(2**63)]) == {str(bill.pk): me}
    assert data_subjects.owners_of("payments.payment", [str(payment.pk), "x", str(2**70)]) == {
        str(payment.pk): me
    }
    assert data_subjects.owners_of("payments.paymentanomaly", [str(anomaly.pk), str(stray.pk)]) == {
        str(anomaly.pk): me
    }
