"""The analytics' demo data (``core.demo``): the risk flags' ordinary applicants and suspicious
cases (``risk/demo.py``), then the demand forecasts (``demo_forecasts``), computed from the
statistics once those cases are counted. Last, the statistics' closed periods are released, each
dated when the nightly task would have published it: only now is every demo case counted."""

from __future__ import annotations

from gerbang.analytics import demo_forecasts
from gerbang.analytics.risk import demo as risk_demo
from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.transparency.releases import releases_backfill


def load() -> tuple[int, int]:
    loaded = risk_demo.load(), demo_forecasts.load()
    releases_backfill(actor=DEMO)
    return loaded


def summary(loaded: tuple[int, int]) -> str:
    flags, offices = loaded
    return f"{risk_demo.summary(flags)}, {offices} offices' demand forecasts"


demo.register("analytics", load, after=["applications", "ledger", "transparency"], summary=summary)
