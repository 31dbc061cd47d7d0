"""Background delivery of notifications: right after the event's commit, and a sweeper every
minute that picks up anything a crash or an outage left behind."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def fan_out(message_id: int) -> None:
    from gerbang.notifications import services

    for delivery_id in services.fan_out(message_id):
        deliver(delivery_id)


@db_task()
def deliver(delivery_id: int) -> str:
    from gerbang.notifications import services

    return services.delivery_attempt(delivery_id)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> dict[str, int]:
    from gerbang.notifications import services

    return services.sweep()


@db_periodic_task(crontab(minute="*/5"))
def remind_expiring_bills() -> int:
    """Every five minutes: tell applicants whose bill expires within the hour (once per bill)."""
    from gerbang.notifications.reminders import bills_expiring_remind

    return bills_expiring_remind()
