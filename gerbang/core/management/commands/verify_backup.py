"""``manage.py verify_backup FILE``: restore a backup into a scratch database and folder and check
it against its manifest (exit code 0 when sound, 1 otherwise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gerbang.core import backups


def write_report(command: BaseCommand, report: backups.Report) -> None:
    manifest = report.manifest
    facts = backups.summary(manifest)
    command.stdout.write(
        f"Backup of {manifest['created_at']} ({facts['engine']}): {facts['rows']} rows in "
        f"{facts['tables']} tables, {facts['files']} files; manifest SHA-256 {report.manifest_sha256}."
    )
    for name, checked in sorted(manifest["checks"].items()):
        command.stdout.write(f"Check {name}: {_facts_in_words(checked)}")
    for note in report.notes:
        command.stdout.write(command.style.WARNING(f"Note: {note}"))
    for problem in report.problems:
        command.stdout.write(command.style.ERROR(f"Problem: {problem}"))


def _facts_in_words(facts: Any) -> str:
    if facts is None:
        return "nothing kept at backup time"
    if isinstance(facts, dict) and {"size", "root"} <= facts.keys():
        return f"size {facts['size']}, root {facts['root']}"
    return f"{len(facts)} facts kept" if isinstance(facts, dict | list) else str(facts)


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and folder and check counts, hashes and the ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file (gerbang-backup-*.gbk).")
        parser.add_argument(
            "--scratch", type=Path, default=None, help="Folder for the scratch copy (default: the system's)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backups.verify_backup(options["file"], scratch=options["scratch"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        write_report(self, report)
        if not report.sound:
            raise CommandError(f"The backup failed verification: {len(report.problems)} problems (above).")
        self.stdout.write(self.style.SUCCESS("Verified: counts, file hashes and checks match the manifest."))
