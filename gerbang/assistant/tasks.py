"""Background work of the assistant: the dense retriever's document vectors, computed once per
knowledge-base version (seconds to minutes on these cores), never while someone waits for an
answer. ``engine.refresh`` queues it after a change; the periodic run catches up with changes
made without one (a notice that came into force, an edit in the admin)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def assistant_vectors() -> bool:
    from gerbang.assistant.engine import compute_vectors

    return compute_vectors()


@db_periodic_task(crontab(minute="*/5"))
def assistant_vectors_check() -> bool:
    """Every five minutes: vectors for the knowledge base as it is now (nothing to do when they
    exist already: the index checks its version on every question)."""
    from gerbang.assistant.engine import compute_vectors

    return compute_vectors()
