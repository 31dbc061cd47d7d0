"""Periodic work of the analytics."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="20", minute="23"))
def compute_forecasts() -> int:
    """Nightly (03:23 in Jakarta, after the statistics' reconciliation): every office's demand
    forecasts computed again from the week's figures. Quotas are never changed here: an office
    administrator applies them."""
    from gerbang.analytics.forecast.services import forecasts_compute_all
    from gerbang.core.actors import WORKER

    return forecasts_compute_all(actor=WORKER)
