"""Background work of appointments: slots made ahead, holds let go, reminders sent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def generate_slots() -> int:
    """Every hour (pages also make a missing day on the spot, so a missed run costs nothing)."""
    from gerbang.appointments.services import slots_generate_ahead

    return slots_generate_ahead()


@db_periodic_task(crontab(minute="*"))
def release_lapsed_holds() -> int:
    from gerbang.appointments.services import holds_release_lapsed

    return holds_release_lapsed()


@db_periodic_task(crontab(minute="*/5"))
def send_reminders() -> int:
    from gerbang.appointments.services import reminders_send

    return reminders_send()
