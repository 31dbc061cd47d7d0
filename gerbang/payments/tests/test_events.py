"""What payments publishes and what it does when a case moves."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gerbang.applications import services as applications
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.payments import services
from gerbang.payments.events import PaymentSettled
from gerbang.payments.models import BillStatus
from gerbang.simulators import payment_provider as simulator
from gerbang.simulators.models import SimulatedBill


@pytest.fixture
def world(db: None) -> f.World:
    return f.make_world()


@pytest.fixture
def settled(published: Callable[[type[PaymentSettled]], list[PaymentSettled]]) -> list[PaymentSettled]:
    return published(PaymentSettled)


def test_a_bank_counter_payment_is_published_once(world: f.World, settled: list[PaymentSettled]) -> None:
    application = f.paid(world)
    assert [(e.application.pk, e.payment.amount) for e in settled] == [(application.pk, application.fee)]


def test_a_provider_payment_is_published_once_and_a_repeat_not_again(
    world: f.World, settled: list[PaymentSettled]
) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    services.bill_register(bill_id=bill.pk)
    payment = simulator.pay(SimulatedBill.objects.get(reference=bill.reference))
    delivery = payment.deliveries.get()
    assert simulator.deliver_once(delivery.pk)
    simulator.deliver_once(delivery.pk)
    assert [e.payment.receipt_number for e in settled] == [payment.transaction_id]


def test_a_cancelled_case_keeps_no_bill_open(world: f.World) -> None:
    application = f.submitted(world)
    applications.application_cancel(application=application, actor=application.applicant)
    assert application.bills.get().status == BillStatus.CANCELLED


def test_an_expired_case_keeps_no_bill_open_and_a_new_bill_follows_a_request(world: f.World) -> None:
    application = f.submitted(world)
    application.bills.update(expires_at=application.payment_due_at)
    type(application).objects.filter(pk=application.pk).update(payment_due_at=application.submitted_at)
    assert applications.expire_unpaid() == 1
    application.refresh_from_db()
    assert application.state == State.EXPIRED
    assert application.bills.get().status == BillStatus.EXPIRED
    applications.bill_reissue(application=application, actor=application.applicant)
    assert application.bills.filter(status=BillStatus.OPEN).count() == 1
