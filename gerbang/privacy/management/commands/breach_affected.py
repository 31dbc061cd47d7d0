"""List the people whose data staff read in a time window, for a breach notification
(UU PDP Pasal 46: the people affected and the supervisory authority are told in writing within
3 x 24 hours). The runbook is in docs/privacy.md, "A breach"."""

from __future__ import annotations

import csv
import json
from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from gerbang.accounts.models import User
from gerbang.privacy import selectors


def _moment(raw: str, *, end: bool) -> datetime:
    day = parse_date(raw) if len(raw) == 10 else None
    value = (
        datetime.combine(day, datetime.max.time() if end else datetime.min.time())
        if day
        else parse_datetime(raw)
    )
    if value is None:
        raise CommandError(f"Not a date or a time: {raw!r} (write 2026-12-01 or 2026-12-01T08:00).")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class Command(BaseCommand):
    help = "List the people whose personal data staff read between --start and --end (a breach's people affected)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--start", required=True, help="From (a date, or a time; office time zone if none given)."
        )
        parser.add_argument("--end", required=True, help="Until (a date counts to its end).")
        parser.add_argument(
            "--staff",
            action="append",
            default=[],
            help="Only reads by this staff account (email); repeat for several.",
        )
        parser.add_argument("--office", type=int, help="Only reads in this office (its id).")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        start = _moment(options["start"], end=False)
        end = _moment(options["end"], end=True)
        if end <= start:
            raise CommandError("--end must come after --start.")
        actor_ids = None
        if options["staff"]:
            staff = {
                u.email.lower(): u.pk
                for u in User.objects.filter(email__in=[e.lower() for e in options["staff"]])
            }
            missing = [e for e in options["staff"] if e.lower() not in staff]
            if missing:
                raise CommandError(f"No account with the address: {', '.join(missing)}")
            actor_ids = list(staff.values())
        people, untraced = selectors.affected_by_reads(
            start, end, actor_ids=actor_ids, office_id=options["office"]
        )
        users = {u.pk: u for u in User.objects.filter(pk__in=[p.user_id for p in people])}
        rows = []
        for line in people:
            user = users.get(line.user_id)
            rows.append(
                {
                    "user_id": line.user_id,
                    "name": user.full_name if user else "",
                    "email": user.email if user else "",
                    "phone": user.phone if user else "",
                    "language": user.language if user else "",
                    "reads": line.reads,
                    "first_read": line.first.isoformat() if line.first else "",
                    "last_read": line.last.isoformat() if line.last else "",
                    "what": " ".join(sorted(line.what)),
                    "staff_ids": " ".join(str(i) for i in sorted(line.by)),
                }
            )
        if options["format"] == "json":
            json.dump(
                {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "people": rows,
                    "untraced": [u.__dict__ for u in untraced],
                },
                self.stdout,
                ensure_ascii=False,
                indent=2,
            )
            self.stdout.write("")
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]) if rows else ["user_id"])
            writer.writeheader()
            writer.writerows(rows)
        self.stderr.write(
            f"{len(rows)} people affected by {sum(p.reads for p in people)} staff reads"
            f" between {start.isoformat()} and {end.isoformat()}."
        )
        for item in untraced:
            self.stderr.write(
                f"Untraced: {item.reads} reads {item.code} of {item.subject_type} (no app names an owner)."
            )
