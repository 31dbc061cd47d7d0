"""Getting notifications out fast: a transaction's messages are handed to the worker when it
commits (no polling), a message a person waits for goes ahead of a burst's backlog, the
sweeper comes behind both, each delivery is still sent once, and a message is rendered once
for all its channels."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from huey.contrib.djhuey import HUEY

from gerbang.accounts.tests.factories import UserFactory
from gerbang.notifications import rendering, services
from gerbang.notifications.models import DeliveryStatus, OutboxMessage
from gerbang.notifications.services import FRESH_AT_MOST, lanes_for, outbox_add
from gerbang.notifications.tasks import BACKLOG, BACKLOG_CHUNK, FRESH, SWEEP, sweep_outbox

# Transactional: commits really happen, as in production, so on-commit hooks run.
pytestmark = pytest.mark.django_db(transaction=True)


def message(user: Any, key: str, kind: str = "application.submit") -> OutboxMessage:
    return outbox_add(recipient=user, kind=kind, dedup_key=key, context={})


def written_without_hand_over(user: Any, key: str) -> OutboxMessage:
    """A message in the outbox that no task has dispatched yet."""
    return OutboxMessage.objects.create(recipient=user, kind="application.submit", dedup_key=key, context={})


def queued() -> list[tuple[list[int], int]]:
    """The queued tasks' message ids and priorities, in the order a worker takes them."""
    return [(task.args[0] if task.args else [], task.priority or 0) for task in HUEY.pending()]


def work_one() -> None:
    HUEY.execute(HUEY.dequeue())


def test_the_messages_of_a_transaction_reach_the_queue_when_it_commits(real_queue: None) -> None:
    user = UserFactory.create()
    with transaction.atomic():
        first = message(user, "first")
        second = message(user, "second")
        assert HUEY.pending_count() == 0  # nothing leaves an open transaction
    assert queued() == [([first.pk, second.pk], FRESH)]  # one task for the transaction
    work_one()
    assert len(mail.outbox) == 2
    assert not OutboxMessage.objects.filter(fanned_out_at__isnull=True).exists()


def test_a_rolled_back_transaction_queues_nothing(real_queue: None) -> None:
    user = UserFactory.create()
    with pytest.raises(RuntimeError), transaction.atomic():
        message(user, "gone")
        raise RuntimeError
    assert HUEY.pending_count() == 0


def test_a_message_of_a_savepoint_rolled_back_is_skipped(real_queue: None) -> None:
    user = UserFactory.create()
    with transaction.atomic():
        kept = message(user, "kept")
        try:
            with transaction.atomic():
                message(user, "rolled-back")
                raise RuntimeError
        except RuntimeError:
            pass
    work_one()
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert kept.deliveries.get(channel="email").status == DeliveryStatus.DELIVERED


def test_a_fresh_message_goes_ahead_of_a_burst_and_the_burst_still_drains(real_queue: None) -> None:
    people = UserFactory.create_batch(2 * BACKLOG_CHUNK + 1)
    with transaction.atomic():  # an office closure tells everyone with a booking at once
        burst = [message(person, f"burst-{person.pk}", "application.mark_ready") for person in people]
    waiting = UserFactory.create()
    with transaction.atomic():
        fresh = message(waiting, "fresh")
    order = queued()
    assert order[0] == ([fresh.pk], FRESH)
    assert [priority for _ids, priority in order[1:]] == [BACKLOG] * 3
    assert [ids for ids, _priority in order[1:]] == [
        [m.pk for m in burst[:BACKLOG_CHUNK]],
        [m.pk for m in burst[BACKLOG_CHUNK : 2 * BACKLOG_CHUNK]],
        [burst[-1].pk],
    ]
    work_one()  # the worker's next task
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    while HUEY.pending_count():
        work_one()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([waiting.email, *(p.email for p in people)])


def test_scheduled_reminders_go_to_the_backlog_even_one_at_a_time(real_queue: None) -> None:
    user = UserFactory.create()
    with transaction.atomic():
        reminder = message(user, "reminder", "appointment.reminder")
    with transaction.atomic():
        fresh = message(user, "fresh")
    assert queued() == [([fresh.pk], FRESH), ([reminder.pk], BACKLOG)]


def test_lanes() -> None:
    assert lanes_for([1, 2], bulk=False).fresh == [1, 2]
    assert lanes_for([1, 2], bulk=True).backlog == [1, 2]
    many = list(range(FRESH_AT_MOST + 1))
    assert lanes_for(many, bulk=False).backlog == many and not lanes_for(many, bulk=False).fresh
    assert lanes_for(list(range(FRESH_AT_MOST)), bulk=False).fresh == list(range(FRESH_AT_MOST))


def test_the_sweeper_comes_behind_the_backlog(real_queue: None) -> None:
    people = UserFactory.create_batch(FRESH_AT_MOST + 1)
    with transaction.atomic():
        for person in people:
            message(person, f"burst-{person.pk}", "application.mark_ready")
    sweep_outbox()  # as the scheduler queues it every minute
    with transaction.atomic():
        fresh = message(people[0], "fresh")
    assert [priority for _ids, priority in queued()] == [FRESH, BACKLOG, SWEEP]
    assert queued()[0][0] == [fresh.pk]
    while HUEY.pending_count():
        work_one()
    # Behind the backlog, the sweeper found nothing left to do: each email went once.
    assert len(mail.outbox) == len(people) + 1


def test_the_sweeper_dispatches_a_message_whose_hand_over_was_lost(real_queue: None) -> None:
    user = UserFactory.create()
    with transaction.atomic():
        lost = message(user, "lost")
    HUEY.flush()  # the queue lost it (it was down at the commit, say)
    sweep_outbox()
    while HUEY.pending_count():
        work_one()
    assert lost.deliveries.get(channel="email").status == DeliveryStatus.DELIVERED


def test_two_dispatches_of_one_message_send_each_delivery_once() -> None:
    user = UserFactory.create(phone="+6281234567890")
    twice = written_without_hand_over(user, "twice")
    # E.g. its own task, and the sweeper that found it at the same moment.
    first = services.message_dispatch(twice.pk)
    second = services.message_dispatch(twice.pk)
    assert first == {"email": "delivered", "sms": "delivered", "inbox": "delivered"}
    assert second == {}
    assert len(mail.outbox) == 1


def test_a_message_is_rendered_once_for_all_its_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    user = UserFactory.create(phone="+6281234567890")
    once = written_without_hand_over(user, "once")
    renders: list[int] = []
    real_render = rendering.render

    def counting_render(outbox_message: OutboxMessage) -> Any:
        renders.append(outbox_message.pk)
        return real_render(outbox_message)

    monkeypatch.setattr(services, "render", counting_render)
    assert len(services.message_dispatch(once.pk)) == 3
    assert renders == [once.pk]


def test_an_idle_worker_looks_at_the_queue_often() -> None:
    """huey's default lets an idle worker sleep 10 s between looks at the SQLite queue: the
    whole of a notification's time to arrive."""
    consumer = settings.HUEY["consumer"]
    assert consumer["max_delay"] <= 1
