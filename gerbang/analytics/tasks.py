"""Periodic work of the analytics (huey finds this module): the risk flags' tasks live in
``risk/tasks.py``; the demand forecasts' nightly computation is here."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gerbang.analytics.risk.tasks import refit_and_rescan, scan_case

__all__ = ["compute_forecasts", "refit_and_rescan", "scan_case"]


@db_periodic_task(crontab(hour="20", minute="23"))
def compute_forecasts() -> int:
    """Nightly (03:23 in Jakarta, after the statistics' reconciliation): every office's demand
    forecasts computed again from the week's figures. Quotas are never changed here: an office
    administrator applies them."""
    from gerbang.analytics.forecast.services import forecasts_compute_all
    from gerbang.core.actors import WORKER

    return forecasts_compute_all(actor=WORKER)
