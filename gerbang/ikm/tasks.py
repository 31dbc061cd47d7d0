"""Periodic work of the IKM: the published figures are computed again every hour."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="17"))
def compute_ikm_results() -> int:
    """Hourly: the occasions served of the present and the previous month that the population
    is missing are counted, then every office's, service's and period's figures and the
    national figure are computed from the answers (idempotent)."""
    from gerbang.core.actors import WORKER
    from gerbang.ikm.services import results_compute

    return results_compute(actor=WORKER)
