"""The demo's statistics: every office day of the demo's cases counted, as the nightly task
would (the year of past cases ``applications.demo_history`` writes, and the live demo's)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.transparency import services
from gerbang.transparency.models import DailyFigure


def load() -> int:
    if DailyFigure.objects.exists():
        return 0
    today = timezone.localdate()
    # The months of past cases the demo wrote, and this one (cases are decided up to weeks later).
    days = (settings.DEMO_HISTORY_MONTHS + 1) * 31
    # Its closed periods are released once every demo case is counted (the analytics' loader).
    return services.figures_rebuild(actor=DEMO, first=today - timedelta(days=days), last=today)


demo.register(
    "transparency",
    load,
    after=["applications", "appointments", "payments", "queueing", "feedback"],
    summary=lambda days: f"{days} office days counted",
)
