"""``manage.py ikm_reconcile``: count in the IKM's population every occasion served that it is
missing (all of them, or those since ``--since``), then compute the figures again. Run once
after installing a version that counts occasions itself, or after events were lost; the hourly
computation does the same for the present month and the one before."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gerbang.core.actors import COMMAND
from gerbang.ikm.services import results_compute, served_reconcile


class Command(BaseCommand):
    help = "Count every occasion served that the IKM population is missing, then compute the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="Only occasions served from this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        since: date | None = None
        if options.get("since"):
            try:
                since = date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since must be a day, YYYY-MM-DD.") from exc
        added = served_reconcile(actor=COMMAND, since=since)
        stored = results_compute(actor=COMMAND)
        self.stdout.write(f"{added} occasions served counted; {stored} IKM results stored.")
