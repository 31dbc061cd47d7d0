"""The analytics' demo data (``core.demo``): the demand forecasts (``demo_forecasts``), after the
statistics they are computed from."""

from __future__ import annotations

from gerbang.analytics import demo_forecasts
from gerbang.core import demo

demo.register(
    "analytics",
    demo_forecasts.load,
    after=["transparency"],
    summary=lambda offices: f"{offices} offices' demand forecasts",
)
