"""Load the demo data: what every app registers in its own ``demo.py`` (offices, one account
per role, ...), then the search index. Safe to run again: no duplicates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gerbang.core import demo, search


class Command(BaseCommand):
    help = "Load (or refresh) the demo offices and accounts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even when DEBUG is off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for local use; DEBUG is off. Use --force if you mean it.")
        loaded = [loader.run() for loader in demo.loaders()]
        search.rebuild()
        summary = ", ".join(part for part in loaded if part)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
