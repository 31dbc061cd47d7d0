"""``manage.py ikm_compute``: compute the IKM figures now (the hourly task does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gerbang.core.actors import COMMAND
from gerbang.ikm.services import results_compute


class Command(BaseCommand):
    help = "Compute the IKM figures of every office, service and period now."

    def handle(self, *args: Any, **options: Any) -> None:
        stored = results_compute(actor=COMMAND)
        self.stdout.write(f"{stored} IKM results stored.")
