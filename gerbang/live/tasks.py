"""Background work of the live relay's table."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/10"))
def prune_live_messages() -> int:
    from gerbang.live.publish import prune

    return prune()
