"""Load the demo data: offices and one account per role. Safe to run again: no duplicates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gerbang.accounts import demo as accounts_demo
from gerbang.applications import demo as applications_demo
from gerbang.appointments import demo as appointments_demo
from gerbang.catalog import demo as catalog_demo
from gerbang.content import demo as content_demo
from gerbang.core import search
from gerbang.feedback import demo as feedback_demo
from gerbang.queueing import demo as queueing_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo offices and accounts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even when DEBUG is off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for local use; DEBUG is off. Use --force if you mean it.")
        offices = catalog_demo.load()
        users = accounts_demo.load()
        content_demo.load()
        appointments_demo.load()
        queueing_demo.load()
        applications_demo.load()
        feedback_demo.load()
        search.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(offices)} offices, {len(users)} accounts.")
        )
