"""Periodic work of the public statistics."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gerbang.transparency.releases import PUBLISH_HOUR, PUBLISH_MINUTE


@db_periodic_task(crontab(minute="*"))
def refresh_statistics() -> int:
    """Every minute: the office days cases moved on are computed again."""
    from gerbang.core.actors import WORKER
    from gerbang.transparency.services import figures_refresh_all

    return figures_refresh_all(actor=WORKER)


@db_periodic_task(crontab(hour="19", minute="41"))
def reconcile_statistics() -> int:
    """Nightly (02:41 in Jakarta): the last weeks of every office computed again from the cases."""
    from gerbang.core.actors import WORKER
    from gerbang.transparency.services import figures_reconcile

    return figures_reconcile(actor=WORKER)


@db_periodic_task(crontab(hour=str(PUBLISH_HOUR), minute=str(PUBLISH_MINUTE)))
def publish_releases() -> int:
    """Nightly (03:30 in Jakarta, after the reconciliation): closed periods released, and new
    versions of those whose figures changed."""
    from gerbang.core.actors import WORKER
    from gerbang.transparency.releases import releases_publish

    return releases_publish(actor=WORKER)
