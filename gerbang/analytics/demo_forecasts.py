"""The demo's demand forecasts: every demo office's forecasts computed from the year of past
cases the statistics counted (so ``make run`` shows them), as the nightly task would."""

from __future__ import annotations

from gerbang.analytics.forecast.services import forecasts_compute_all
from gerbang.analytics.models import ForecastRun
from gerbang.core.actors import DEMO


def load() -> int:
    if ForecastRun.objects.exists():
        return 0
    return forecasts_compute_all(actor=DEMO)
