"""Periodic work on reports: escalate the overdue ones, close the answered ones left silent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="23"))
def escalate_overdue_reports() -> int:
    """Hourly: overdue reports go up to the supervisors, then the national unit (idempotent)."""
    from gerbang.feedback.report_services import escalate_overdue

    return escalate_overdue()


@db_periodic_task(crontab(hour="2", minute="41"))
def close_silent_reports() -> int:
    """Nightly: answered reports whose reporter stayed silent for the set working days close."""
    from gerbang.feedback.report_services import close_silent

    return close_silent()
