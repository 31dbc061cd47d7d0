"""Compare a provider settlement file (CSV) with the payments Gerbang recorded for one day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gerbang.core.actors import COMMAND
from gerbang.core.exceptions import ValidationError
from gerbang.payments.reconciliation import reconcile


class Command(BaseCommand):
    help = "Reconcile a payment provider's settlement CSV with the recorded payments of a day."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The settlement file (CSV with a header row).")
        parser.add_argument("--day", type=date.fromisoformat, help="The day it settles (default: yesterday).")
        parser.add_argument("--provider", default=settings.PAYMENT_PROVIDER)

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or timezone.localdate() - timedelta(days=1)
        try:
            report = reconcile(
                text=options["file"].read_text(encoding="utf-8"),
                day=day,
                provider=options["provider"],
                actor=COMMAND,
            )
        except (OSError, ValidationError) as error:
            raise CommandError(str(getattr(error, "message", error))) from error
        self.stdout.write(
            f"{day}: {report.lines} lines, {report.matched} matched, {len(report.mismatches)} mismatches"
        )
        for m in report.mismatches:
            self.stdout.write(
                f"  {m.problem:8} {m.transaction_id}  file={m.file_amount}  recorded={m.recorded_amount}  {m.reference}"
            )
        if report.mismatches:
            raise CommandError(
                f"{len(report.mismatches)} mismatches; each is recorded as an anomaly for finance."
            )
