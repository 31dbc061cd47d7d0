"""Events to log, made as services make them (``core.events.record``)."""

from __future__ import annotations

from typing import Any

from gerbang.core import events
from gerbang.core.actors import DEMO
from gerbang.core.models import Event


def logged_events(subject: Any, count: int, *, code: str = "application.submitted") -> list[Event]:
    return [
        events.record(code, actor=DEMO, subject=subject, details={"n": n}, office_id=subject.pk)
        for n in range(count)
    ]
