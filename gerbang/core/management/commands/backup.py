"""``manage.py backup``: an encrypted, consistent backup of the database and the uploaded files
(gerbang/core/backups.py; docs/operations.md, "Backups and the restore drill")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gerbang.core import backup_events, backups
from gerbang.core.actors import SystemActor

BACKUP = SystemActor("backup")


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and the uploaded files (with a manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="Folder to write it into (default BACKUP_DIR)."
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Then delete the backups in that folder that BACKUP_KEEP_DAILY/WEEKLY do not keep.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.BACKUP_DIR)
        try:
            made = backups.make_backup(directory)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        removed = (
            backups.prune(directory, daily=settings.BACKUP_KEEP_DAILY, weekly=settings.BACKUP_KEEP_WEEKLY)
            if options["prune"]
            else []
        )
        backup_events.record_backup(made, removed=len(removed), actor=BACKUP)
        facts = made.summary()
        self.stdout.write(
            f"{facts['rows']} rows in {facts['tables']} tables ({facts['engine']}), {facts['files']} files."
        )
        for path in removed:
            self.stdout.write(f"Removed (retention): {path.name}")
        self.stdout.write(f"Manifest SHA-256: {made.manifest_sha256}")
        self.stdout.write(self.style.SUCCESS(f"Backup written: {made.path}"))
