"""Periodic work on applications."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def expire_unpaid_applications() -> int:
    """Every five minutes: applications whose payment deadline passed expire (and are told)."""
    from gerbang.applications.services import expire_unpaid

    return expire_unpaid()


@db_periodic_task(crontab(hour="3", minute="17"))
def remove_orphan_documents() -> int:
    """Nightly: files left behind by uploads whose transaction failed."""
    from gerbang.applications.services import orphan_documents_remove

    return orphan_documents_remove()
