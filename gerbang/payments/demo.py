"""The payments' demo data: the bills of the demo's past cases (``demo_history``); the live
demo's bills are issued by the services when its cases are submitted."""

from __future__ import annotations

from gerbang.core import demo
from gerbang.payments import demo_history

demo.register(
    "payments", demo_history.load, after=["applications"], summary=lambda bills: f"{bills} past bills"
)
