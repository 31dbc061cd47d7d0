"""The demo's events go into the public log as soon as the demo is loaded (as the worker would
a few seconds later), so that /ledger/ shows them at once."""

from __future__ import annotations

from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.ledger.selectors import log_size
from gerbang.ledger.services import log_integrate


def load() -> int:
    log_integrate(actor=DEMO)
    return log_size()


demo.register("ledger", load, summary=lambda size: f"{size} ledger entries")
