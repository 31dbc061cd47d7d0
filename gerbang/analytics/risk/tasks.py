"""The risk flags' background work: a scan for each case submitted, and the nightly refit and
rescan. Tasks return nothing (huey would keep every result in its store)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def scan_case(application_id: int) -> None:
    """A case was submitted (or resubmitted): its flags, and those of the open cases they name."""
    from gerbang.analytics.risk.services import risk_case_scan_with_related
    from gerbang.core.actors import WORKER

    risk_case_scan_with_related(application_id=application_id, actor=WORKER)


@db_periodic_task(crontab(hour="19", minute="53"))
def refit_and_rescan() -> None:
    """Nightly (19:53 UTC, 02:53 in Jakarta): the model refitted on recent cases, every open case
    scanned again, erased cases forgotten."""
    import logging

    from gerbang.analytics.risk.services import risk_rescan
    from gerbang.core.actors import WORKER

    logging.getLogger(__name__).info("risk rescan: %s", risk_rescan(actor=WORKER))
