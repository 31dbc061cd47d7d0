"""``manage.py restore FILE``: restore a backup into an empty instance, then check it
(docs/operations.md, "Backups and the restore drill"). Stop the web, relay and worker first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gerbang.core import backups
from gerbang.core.management.commands.verify_backup import write_report


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into this (empty) instance, then check it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file (gerbang-backup-*.gbk).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database and files of an instance that is not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backups.restore(options["file"], force=options["force"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        write_report(self, report)
        if not report.sound:
            raise CommandError("Restored, but the instance does not match the backup's manifest (above).")
        self.stdout.write(self.style.SUCCESS("Restored: counts, files and checks match the manifest."))
