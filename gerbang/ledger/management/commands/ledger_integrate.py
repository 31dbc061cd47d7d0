"""``manage.py ledger_integrate``: append the events not yet in the public log now (the worker
does the same every few seconds); with ``--reconcile``, first look over the whole history for
logged events the sequencer missed (the worker does that every night); with ``--verify``, then
check the whole stored log again; with ``--follow``, keep appending every ``LEDGER_FOLLOW_SECONDS``
(a process of its own beside the worker: ``make run`` starts one), so a step is in the log within
about a second of its commit."""

from __future__ import annotations

import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gerbang.core.actors import COMMAND
from gerbang.ledger import selectors
from gerbang.ledger.services import RECONCILE_PAGE, log_follow, log_integrate, log_reconcile


class Command(BaseCommand):
    help = "Append the committed events not yet in the public log, and sign a checkpoint."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reconcile",
            action="store_true",
            help="First read every event the sequencer has decided, by id, and append the logged "
            "ones missing from the log (a transaction open longer than LEDGER_SETTLE_SECONDS).",
        )
        parser.add_argument(
            "--page-size",
            type=int,
            default=RECONCILE_PAGE,
            help=f"Event ids read per query by --reconcile (default {RECONCILE_PAGE}).",
        )
        parser.add_argument(
            "--verify", action="store_true", help="Then recompute the whole log from its stored leaves."
        )
        parser.add_argument(
            "--follow",
            action="store_true",
            help="Keep appending, every LEDGER_FOLLOW_SECONDS, until stopped.",
        )
        parser.add_argument("--every", type=float, help="Seconds between runs with --follow.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["follow"]:
            every = options["every"] if options["every"] is not None else settings.LEDGER_FOLLOW_SECONDS
            if every <= 0:
                raise CommandError("--every must be more than 0 seconds")
            self.follow(every)
            return
        if options["reconcile"]:
            if options["page_size"] < 1:
                raise CommandError("--page-size must be at least 1")
            found = log_reconcile(actor=COMMAND, page_size=options["page_size"])
            self.stdout.write(
                f"Reconciled: {found.examined} events up to id {found.through} read, {found.found} logged "
                f"events missing from the log, {found.appended} appended."
            )
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

    def follow(self, every: float) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Following: the log is brought up to date every {every:g} s.")
        log_follow(actor=COMMAND, every=every, stopped=lambda: stopping, complain=self.stderr.write)
