"""Periodic upkeep shared by every app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def rebuild_search_index() -> None:
    """Hourly: notices that ended leave the index, ones that began join it."""
    from gerbang.core import search

    search.rebuild()


@db_periodic_task(crontab(minute="23"))
def purge_idempotency_keys() -> None:
    """Hourly: idempotency keys older than a day are forgotten (core.idempotency)."""
    from gerbang.core import idempotency

    idempotency.purge()


@db_periodic_task(crontab(hour="19", minute="43"))
def daily_backup() -> None:
    """Daily (19:43 UTC, 02:43 in Jakarta): a backup into BACKUP_DIR, then retention. Returns
    nothing: huey would keep the result."""
    from pathlib import Path

    from django.conf import settings

    from gerbang.core import backup_events, backups
    from gerbang.core.actors import WORKER

    directory = Path(settings.BACKUP_DIR)
    made = backups.make_backup(directory)
    removed = backups.prune(directory, daily=settings.BACKUP_KEEP_DAILY, weekly=settings.BACKUP_KEEP_WEEKLY)
    backup_events.record_backup(made, removed=len(removed), actor=WORKER)
