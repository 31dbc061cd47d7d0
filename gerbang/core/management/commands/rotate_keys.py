"""``manage.py rotate_keys``: re-encrypt every personal field under the current key version,
in small batches while the service runs; ``--check`` counts what each key version still holds
(docs/operations.md, "Keys")."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gerbang.core import crypto, events
from gerbang.core.actors import SystemActor
from gerbang.core.key_rotation import KEYS_ROTATED, encrypted_columns, rotate_batches, version_counts
from gerbang.core.models import Event

ROTATE_KEYS = SystemActor("rotate_keys")


def _version_name(version: int | None) -> str:
    return "unversioned" if version is None else f"version {version}"


class Command(BaseCommand):
    help = "Re-encrypt personal fields under the current key version (first of FIELD_ENCRYPTION_KEYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Values per transaction (default 500)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and decrypt what would be re-encrypted; write nothing.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count the values each key version holds (when may an old key go?).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            current = crypto.current_version()
        except ImproperlyConfigured as exc:  # say it plainly, without a traceback
            raise CommandError(str(exc)) from exc
        if options["check"]:
            self._check(current)
        else:
            self._rotate(current, batch_size=options["batch_size"], dry_run=options["dry_run"])

    def _check(self, current: int) -> None:
        totals: dict[int | None, int] = {}
        for column in encrypted_columns():
            counts = version_counts(column)
            for version, n in counts.items():
                totals[version] = totals.get(version, 0) + n
            shown = ", ".join(
                f"{_version_name(v)}: {n}" for v, n in sorted(counts.items(), key=_newest_first)
            )
            self.stdout.write(f"{column.label}: {shown or 'empty'}")
        self.stdout.write(f"In all (current key version {current}):")
        listed = crypto.key_ring().versions
        for version in listed:
            self.stdout.write(f"  {_version_name(version)}: {totals.get(version, 0)} values")
        for version, n in sorted(totals.items(), key=_newest_first):
            if version is None:
                self.stdout.write(f"  unversioned (written before key versions): {n} values")
            elif version not in listed:
                self.stdout.write(
                    self.style.ERROR(
                        f"  {_version_name(version)}: {n} values, UNREADABLE: "
                        "FIELD_ENCRYPTION_KEYS does not list this version"
                    )
                )
        behind = sum(n for version, n in totals.items() if version != current)
        if behind:
            self.stdout.write(
                self.style.WARNING(
                    f"{behind} values are not under version {current} yet: run rotate_keys "
                    "before removing any other key."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Every value is under version {current}: the other keys can be removed.")
            )

    def _rotate(self, current: int, *, batch_size: int, dry_run: bool) -> None:
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        per_field: dict[str, int] = {}
        for column in encrypted_columns():
            done = 0
            try:
                for batch in rotate_batches(column, batch_size=batch_size, dry_run=dry_run):
                    done += batch.read if dry_run else batch.rotated
                    self.stdout.write(f"{column.label}: {verb} {done} (up to primary key {batch.last_pk})")
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            per_field[column.label] = done
            self.stdout.write(f"{column.label}: {verb} {done} values in all.")
        total = sum(per_field.values())
        if not dry_run:
            with transaction.atomic():
                events.record(
                    KEYS_ROTATED,
                    actor=ROTATE_KEYS,
                    # A run concerns no single row; it is filed under the event stream itself.
                    subject=ContentType.objects.get_for_model(Event),
                    details={"key_version": current, "total": total, "fields": per_field},
                )
        self.stdout.write(self.style.SUCCESS(f"Done: {verb} {total} values under key version {current}."))


def _newest_first(item: tuple[int | None, int]) -> int:
    return -(item[0] or 0)
