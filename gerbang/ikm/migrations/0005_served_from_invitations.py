"""The occasions already served, from the satisfaction app's invitations (one per occasion,
what the population was counted from until now), so the figures of past months keep their
population. ``manage.py ikm_reconcile`` then adds the occasions served without an invitation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def _month(moment: Any) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def forwards(apps: Any, schema_editor: Any) -> None:
    invitation_model = apps.get_model("satisfaction", "Invitation")
    served_model = apps.get_model("ikm", "Served")
    rows = invitation_model.objects.order_by("pk").values_list(
        "occasion", "occasion_id", "office_id", "service_id", "served_at"
    )
    batch = []
    for occasion, occasion_id, office_id, service_id, served_at in rows.iterator(chunk_size=BATCH):
        batch.append(
            served_model(
                occasion=occasion,
                occasion_id=occasion_id,
                office_id=office_id,
                service_id=service_id,
                served_month=_month(served_at),
            )
        )
        if len(batch) >= BATCH:
            served_model.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    served_model.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("ikm", "0004_served"),
        ("satisfaction", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
