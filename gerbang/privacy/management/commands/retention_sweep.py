"""Erase the personal fields of every record past its retention period (the nightly task does
the same; docs/privacy.md, "Retention")."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from gerbang.core.actors import COMMAND
from gerbang.privacy.services import retention_sweep


class Command(BaseCommand):
    help = "Erase the personal fields of every record whose retention period has ended."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = retention_sweep(actor=COMMAND, dry_run=options["dry_run"])
        verb = "would be" if options["dry_run"] else "were"
        for o in outcomes:
            self.stdout.write(
                f"{o.key}: {o.erased} {verb} erased, {o.pseudonymised} {verb} pseudonymised ({o.label})"
            )
        if not outcomes:
            self.stdout.write("Nothing is past its retention period.")
