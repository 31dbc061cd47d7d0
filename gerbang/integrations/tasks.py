"""The exchange's background work: a case's checks asked just after its fee is recorded, and
every check still waiting asked again when its next attempt is due."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gerbang.integrations import checks


@db_task()
def checks_run_for(application_id: int) -> None:
    checks.checks_run_for(application_id)


@db_periodic_task(crontab(minute="*"))
def checks_retry() -> None:
    checks.checks_run_due()
