"""Print the take-over code of an assisted demo application (DEBUG only), as it is printed on
the summary handed to the person: only its hash is stored, so the code is made again here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gerbang.applications import selectors
from gerbang.applications.models import Application


class Command(BaseCommand):
    help = "Print the take-over code of an assisted application (only with DEBUG on)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "number", nargs="?", default="", help="the application number (default: the newest)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_takeover_code works only in local development (DEBUG on).")
        cases = Application.objects.filter(assisted__isnull=False, number__isnull=False)
        if options["number"]:
            cases = cases.filter(number=options["number"].strip().upper())
        for application in cases.order_by("-submitted_at"):
            shown = selectors.takeover_code_shown(application)
            if shown is not None:
                self.stdout.write(f"{application.number} {shown[0]}")
                return
        raise CommandError("No assisted application has a take-over code that works now.")
