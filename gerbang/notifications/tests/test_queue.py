"""The task queue really carries notifications: the fan-out and each delivery go into the
configured storage (the SQLite file by default, Redis when REDIS_URL is set), and a worker's
dequeue-and-execute sends the email."""

from __future__ import annotations

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

from gerbang.accounts.notifications import account_message
from gerbang.accounts.tests.factories import UserFactory
from gerbang.notifications.models import DeliveryStatus, OutboxMessage
from gerbang.notifications.tasks import fan_out

# Transactional, like a real worker: db_task closes the connection around the task, so it can
# only see committed data.
pytestmark = pytest.mark.django_db(transaction=True)


def test_verification_email_goes_through_the_queue(real_queue: None, settings) -> None:
    expected = "huey.PriorityRedisHuey" if settings.REDIS_URL else "huey.SqliteHuey"
    assert f"{type(HUEY).__module__.split('.')[0]}.{type(HUEY).__name__}" == expected
    user = UserFactory.create(email_verified_at=None)
    account_message(user, "account.verify_email")  # on commit: the message is handed to the queue
    message = OutboxMessage.objects.get(recipient=user)
    assert HUEY.pending_count() == 1
    assert mail.outbox == []  # nothing is sent until a worker runs the task
    HUEY.execute(HUEY.dequeue())  # one task: the fan-out and every delivery of the message
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "/account/verify/" in mail.outbox[0].body
    assert message.deliveries.get().status == DeliveryStatus.DELIVERED
    assert HUEY.pending_count() == 0


def test_an_enqueued_fan_out_is_idempotent(real_queue: None) -> None:
    user = UserFactory.create(email_verified_at=None)
    account_message(user, "account.verify_email")
    message = OutboxMessage.objects.get(recipient=user)
    fan_out(message.pk)  # queued a second time, e.g. by the sweeper
    while HUEY.pending_count():
        HUEY.execute(HUEY.dequeue())
    assert message.deliveries.count() == 1
    assert len(mail.outbox) == 1
