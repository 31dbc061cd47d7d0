"""``manage.py reindex_blind``: rebuild every blind index under the current BLIND_INDEX_KEY,
in small batches while the service runs (docs/operations.md, "Keys")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gerbang.core import blind_indexes, events
from gerbang.core.actors import SystemActor
from gerbang.core.models import Event

REINDEX_BLIND = SystemActor("reindex_blind")


class Command(BaseCommand):
    help = "Recompute every blind index under the current BLIND_INDEX_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size, dry_run = options["batch_size"], options["dry_run"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        verb = "would rewrite" if dry_run else "rewrote"
        per_index: dict[str, int] = {}
        for index in blind_indexes.derived():
            done = 0
            try:
                for batch in blind_indexes.reindex_batches(index, batch_size=batch_size, dry_run=dry_run):
                    done += batch.changed
                    self.stdout.write(f"{index.label}: {verb} {done} (up to primary key {batch.last_pk})")
            except ValueError as exc:  # a value no key of the ring decrypts: say which index
                raise CommandError(f"{index.label}: {exc}") from exc
            per_index[index.label] = done
            self.stdout.write(f"{index.label}: {verb} {done} hashes in all.")
        previous = list(settings.BLIND_INDEX_PREVIOUS_KEYS)
        for rekeyed in blind_indexes.rekeyed():
            if not previous:
                self.stdout.write(
                    self.style.WARNING(
                        f"{rekeyed.label}: skipped, BLIND_INDEX_PREVIOUS_KEYS is empty "
                        "(its old hashes can only be recognised with the old key)."
                    )
                )
                continue
            done = 0
            for changed in rekeyed.rekey(previous, batch_size, dry_run):
                done += changed
                self.stdout.write(f"{rekeyed.label}: {verb} {done}")
            per_index[rekeyed.label] = done
            self.stdout.write(f"{rekeyed.label}: {verb} {done} hashes in all.")
        for kept in blind_indexes.kept():
            self.stdout.write(
                f"{kept.label}: cannot be recomputed ({kept.why}); found through "
                "BLIND_INDEX_PREVIOUS_KEYS while that lists the old key."
            )
        total = sum(per_index.values())
        if not dry_run:
            with transaction.atomic():
                events.record(
                    blind_indexes.BLIND_INDEX_REBUILT,
                    actor=REINDEX_BLIND,
                    # A run concerns no single row; it is filed under the event stream itself.
                    subject=ContentType.objects.get_for_model(Event),
                    details={"total": total, "indexes": per_index},
                )
        self.stdout.write(self.style.SUCCESS(f"Done: {verb} {total} blind index hashes."))
