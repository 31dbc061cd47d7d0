"""Periodic upkeep shared by every app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def rebuild_search_index() -> None:
    """Hourly: notices that ended leave the index, ones that began join it."""
    from gerbang.core import search

    search.rebuild()
