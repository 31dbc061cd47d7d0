"""The analytics' demo data (``core.demo``): the risk flags' ordinary applicants and suspicious
cases (``risk/demo.py``)."""

from __future__ import annotations

from gerbang.analytics.risk import demo as risk_demo
from gerbang.core import demo


def load() -> int:
    return risk_demo.load()


demo.register("analytics", load, after=["applications", "ledger", "transparency"], summary=risk_demo.summary)
