"""Background work of the on-site queue."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def mark_missed_bookings() -> int:
    """Bookings whose check-in can no longer happen become no-shows (for the office's figures,
    and so the applicant can book again)."""
    from gerbang.queueing.services import bookings_mark_missed

    return bookings_mark_missed()
