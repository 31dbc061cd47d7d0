"""Background delivery of notifications, in two lanes of one queue: the messages a
transaction wrote are handed to the worker when it commits (no polling of the outbox), those a
person is waiting for ahead of broadcasts, reminders and retries; and a sweeper every minute,
behind both, that picks up anything a crash or an outage left behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

if TYPE_CHECKING:
    from gerbang.notifications.services import Lanes

# Task priorities (the worker takes the highest first; huey's SQLite queue and its priority
# Redis queue both keep them).
FRESH = 100
BACKLOG = 10
SWEEP = 0
# Messages per backlog task: small enough that a fresh message waits at most about a second
# for a worker busy with the backlog (a message costs a few tens of milliseconds).
BACKLOG_CHUNK = 20


def enqueue(lanes: Lanes) -> None:
    """Hand messages to the worker: fresh ones in one task ahead of everything, the backlog in
    small tasks behind them."""
    if lanes.fresh:
        dispatch_messages(lanes.fresh, priority=FRESH)
    for start in range(0, len(lanes.backlog), BACKLOG_CHUNK):
        dispatch_messages(lanes.backlog[start : start + BACKLOG_CHUNK], priority=BACKLOG)


@db_task()
def dispatch_messages(message_ids: list[int]) -> dict[str, int]:
    from gerbang.notifications import services

    return services.messages_dispatch(message_ids)


@db_task()
def fan_out(message_id: int) -> None:
    """Kept for tasks queued before the lanes (an upgrade with a queue not yet empty)."""
    from gerbang.notifications import services

    services.message_dispatch(message_id)


@db_task()
def deliver(delivery_id: int) -> str:
    from gerbang.notifications import services

    return services.delivery_attempt(delivery_id)


@db_periodic_task(crontab(minute="*"), priority=SWEEP)
def sweep_outbox() -> int:
    """Behind everything else in the queue, so it only finds what was really left behind."""
    from gerbang.notifications import selectors

    backlog = selectors.backlog()
    for start in range(0, len(backlog), BACKLOG_CHUNK):
        dispatch_messages(backlog[start : start + BACKLOG_CHUNK], priority=BACKLOG)
    return len(backlog)
