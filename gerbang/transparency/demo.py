"""The demo's statistics: every office day of the demo's cases counted, as the nightly task
would (the year of past cases ``applications.demo_history`` writes, and the live demo's)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.transparency import services
from gerbang.transparency.models import DailyFigure

DAYS = 400


def load() -> int:
    if DailyFigure.objects.exists():
        return 0
    today = timezone.localdate()
    return services.figures_rebuild(actor=DEMO, first=today - timedelta(days=DAYS), last=today)


demo.register(
    "transparency", load, after=["applications"], summary=lambda days: f"{days} office days counted"
)
