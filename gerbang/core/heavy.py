"""A bound on CPU-heavy work inside a request (checking and re-encoding an upload): at most
``HEAVY_WORK_AT_ONCE`` pieces run at once in a process, so that a few large uploads cannot
take every core from the other requests (the health check, people reading pages). Whoever
finds every place taken waits for one, up to ``HEAVY_WORK_WAIT_SECONDS``, then is told to try
again in a moment: nothing was saved, nothing is lost.
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
    retry_after = 5


_lock = threading.Lock()
_places: threading.BoundedSemaphore | None = None
_size = 0


def _semaphore() -> threading.BoundedSemaphore:
    global _places, _size
    wanted = max(1, int(settings.HEAVY_WORK_AT_ONCE))
    with _lock:
        if _places is None or _size != wanted:  # the setting changed (tests)
            _places, _size = threading.BoundedSemaphore(wanted), wanted
        return _places


@contextmanager
def heavy_work() -> Iterator[None]:
    places = _semaphore()
    if not places.acquire(timeout=float(settings.HEAVY_WORK_WAIT_SECONDS)):
        raise Busy()
    try:
        yield
    finally:
        places.release()
