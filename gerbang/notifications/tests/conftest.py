from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY


@pytest.fixture
def real_queue() -> Iterator[None]:
    """The configured queue (the SQLite file, or Redis when REDIS_URL is set) instead of
    running tasks in-line: a test plays the worker with HUEY.dequeue() and HUEY.execute()."""
    HUEY.immediate = False
    HUEY.flush()
    try:
        yield
    finally:
        HUEY.flush()
        HUEY.immediate = True
