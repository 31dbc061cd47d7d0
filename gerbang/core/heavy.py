"""A bound on CPU-heavy work inside a request (checking and re-encoding an upload).

At most ``HEAVY_WORK_AT_ONCE`` pieces run at once in a process, so that a few large uploads
cannot take every core from the other requests; at most ``HEAVY_WORK_QUEUE`` more wait for
their turn (up to ``HEAVY_WORK_WAIT_SECONDS``). A request waiting here holds one of the
server's threads, so the line is kept short: with the 4 threads of ``make run``, uploads hold at
most two and the health check and people reading pages always find one free. Whoever finds the
line full, or waits too long, is told to try again in a moment: nothing was saved, nothing is
lost.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gerbang.core.exceptions import RateLimited


class Busy(RateLimited):
    default_message = _(
        "Many documents are being checked right now. Nothing was saved; try again in a few seconds."
    )
    retry_after = 2


class _Line:
    def __init__(self, at_once: int, queue: int) -> None:
        self.shape = (at_once, queue)
        self.places = threading.BoundedSemaphore(at_once)
        self.lock = threading.Lock()
        self.inside = 0  # running or waiting

    def enter(self, wait: float) -> bool:
        at_once, queue = self.shape
        with self.lock:
            if self.inside >= at_once + queue:
                return False
            self.inside += 1
        if self.places.acquire(timeout=wait):
            return True
        with self.lock:
            self.inside -= 1
        return False

    def leave(self) -> None:
        self.places.release()
        with self.lock:
            self.inside -= 1


_lock = threading.Lock()
_line: _Line | None = None


def _current() -> _Line:
    global _line
    shape = (max(1, int(settings.HEAVY_WORK_AT_ONCE)), max(0, int(settings.HEAVY_WORK_QUEUE)))
    with _lock:
        if _line is None or _line.shape != shape:  # the settings changed (tests)
            _line = _Line(*shape)
        return _line


@contextmanager
def heavy_work() -> Iterator[None]:
    line = _current()
    if not line.enter(float(settings.HEAVY_WORK_WAIT_SECONDS)):
        raise Busy()
    try:
        yield
    finally:
        line.leave()
