"""The task queue really carries work: a task goes into the configured storage (the SQLite file
by default, Redis when REDIS_URL is set) and a worker's dequeue-and-execute sends the email."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

from gerbang.accounts.tasks import send_verification_email
from gerbang.accounts.tests.factories import UserFactory

# Transactional, like a real worker: db_task closes the connection around the task, so it can
# only see committed data.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def real_queue() -> Iterator[None]:
    HUEY.immediate = False  # back to the configured storage
    HUEY.flush()
    try:
        yield
    finally:
        HUEY.flush()
        HUEY.immediate = True


def test_verification_email_goes_through_the_queue(real_queue: None, settings) -> None:
    expected = "huey.RedisHuey" if settings.REDIS_URL else "huey.SqliteHuey"
    assert f"{type(HUEY).__module__.split('.')[0]}.{type(HUEY).__name__}" == expected
    user = UserFactory.create(email_verified_at=None)
    send_verification_email(user.pk)
    assert HUEY.pending_count() == 1
    assert mail.outbox == []  # nothing is sent until a worker runs the task
    task = HUEY.dequeue()
    assert task is not None
    HUEY.execute(task)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert HUEY.pending_count() == 0


def test_verified_user_gets_no_second_email(real_queue: None) -> None:
    user = UserFactory.create()
    send_verification_email(user.pk)
    HUEY.execute(HUEY.dequeue())
    assert mail.outbox == []
