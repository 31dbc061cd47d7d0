"""``manage.py training_reset``: delete everything done at the training office and make its
synthetic set again (docs/training.md), as the back office's button does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gerbang.core.actors import COMMAND
from gerbang.training.services import training_reset


class Command(BaseCommand):
    help = "Reset the training office: delete its cases and synthetic people, make the synthetic set again."

    def handle(self, *args: Any, **options: Any) -> None:
        made = training_reset(actor=COMMAND)
        self.stdout.write(
            f"Training office {made.office.code} reset: {made.cases} synthetic cases, {made.tickets} tickets."
        )
