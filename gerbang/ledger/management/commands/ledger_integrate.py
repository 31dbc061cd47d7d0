"""``manage.py ledger_integrate``: append the events not yet in the public log now (the worker
does the same every few seconds), and optionally check the whole stored log again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gerbang.core.actors import COMMAND
from gerbang.ledger import selectors
from gerbang.ledger.services import log_integrate


class Command(BaseCommand):
    help = "Append the committed events not yet in the public log, and sign a checkpoint."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--verify", action="store_true", help="Then recompute the whole log from its stored leaves."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        appended = log_integrate(actor=COMMAND)
        latest = selectors.latest_checkpoint()
        size = latest.size if latest else 0
        self.stdout.write(f"{appended} events appended; the log has {size}.")
        if options["verify"]:
            check = selectors.verify_stored_tree()
            for problem in check.problems:
                self.stderr.write(problem)
            if not check.sound:
                raise CommandError(f"the stored log is not sound ({len(check.problems)} problems)")
            self.stdout.write(f"The stored log of {check.size} leaves recomputes to every checkpoint.")
