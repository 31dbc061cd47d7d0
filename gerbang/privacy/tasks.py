"""The nightly retention sweep: records past their retention period lose their personal fields."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="40"))
def retention_sweep_nightly() -> int:
    from gerbang.core.actors import WORKER
    from gerbang.privacy.services import retention_sweep

    outcomes = retention_sweep(actor=WORKER)
    for outcome in outcomes:
        log.info(
            "retention sweep: %s erased=%d pseudonymised=%d",
            outcome.key,
            outcome.erased,
            outcome.pseudonymised,
        )
    return sum(o.erased + o.pseudonymised for o in outcomes)
