"""The event a backup leaves (``manage.py backup`` and the daily task; counts only)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from gerbang.core import events
from gerbang.core.actors import Actor
from gerbang.core.backups import Made
from gerbang.core.models import Event

BACKUP_MADE = "core.backup_made"


def record_backup(made: Made, *, removed: int, actor: Actor) -> Event:
    """One event per backup: how many tables, rows, files and bytes, and backups removed."""
    with transaction.atomic():
        return events.record(
            BACKUP_MADE,
            actor=actor,
            # A backup concerns no single row; it is filed under the event stream itself.
            subject=ContentType.objects.get_for_model(Event),
            details=made.summary() | {"removed": removed},
        )
