"""What the statistics do when another app changes something: mark the office's day stale."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gerbang.transparency import services

if TYPE_CHECKING:
    from gerbang.applications.events import CaseMoved


def case_moved(event: CaseMoved) -> None:
    services.case_day_stale(event.application, event.at, reversed_decision=event.action == "reverse_decision")
