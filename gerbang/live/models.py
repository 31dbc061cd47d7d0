"""Messages for the live relay when there is no Redis: a table the relay reads with one cheap
query per fraction of a second (``id > last seen``). Rows are pruned after an hour."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LiveMessage(models.Model):
    channel = models.CharField(max_length=100)
    # The JSON text as it is streamed, so the relay sends it without decoding it.
    data = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"
