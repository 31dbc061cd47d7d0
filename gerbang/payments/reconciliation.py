"""Reconciliation: the provider's settlement file (CSV) against the payments we recorded.

The file has a header row with at least ``transaction_id``, ``amount`` and ``paid_at``
(ISO 8601 with offset); ``reference`` and ``currency`` are read when present. Every mismatch
becomes a settlement anomaly for finance (once per transaction).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ValidationError
from gerbang.core.permissions import Perm, require_permission_unless_system
from gerbang.payments.models import AnomalyKind, Payment, PaymentAnomaly, PaymentMethod

REQUIRED_COLUMNS = {"transaction_id", "amount", "paid_at"}


@dataclass
class SettlementLine:
    transaction_id: str
    amount: int
    paid_at: datetime
    reference: str = ""
    currency: str = "IDR"


@dataclass
class Mismatch:
    transaction_id: str
    problem: str  # "missing" (in the file, not recorded), "extra" (recorded, not in the file), "amount"
    file_amount: int | None
    recorded_amount: int | None
    reference: str = ""


@dataclass
class Report:
    day: date
    lines: int
    matched: int
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def parse(text: str) -> list[SettlementLine]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = set(reader.fieldnames or [])
    missing = REQUIRED_COLUMNS - columns
    if missing:
        raise ValidationError(
            _("The settlement file lacks the columns: %(columns)s.")
            % {"columns": ", ".join(sorted(missing))},
            field="file",
        )
    lines = []
    for number, row in enumerate(reader, start=2):
        paid_at = parse_datetime((row.get("paid_at") or "").strip())
        amount_text = (row.get("amount") or "").strip()
        if not row.get("transaction_id") or paid_at is None or not amount_text.isdigit():
            raise ValidationError(
                _("Line %(line)s of the settlement file cannot be read (transaction, amount or time).")
                % {"line": number},
                field="file",
            )
        lines.append(
            SettlementLine(
                transaction_id=row["transaction_id"].strip(),
                amount=int(amount_text),
                paid_at=paid_at,
                reference=(row.get("reference") or "").strip(),
                currency=(row.get("currency") or "IDR").strip().upper(),
            )
        )
    return lines


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


@transaction.atomic
def reconcile(*, text: str, day: date, provider: str, actor: User | SystemActor) -> Report:
    require_permission_unless_system(actor, Perm.PAYMENTS_MANAGE)
    lines = parse(text)
    in_file = {line.transaction_id: line for line in lines}
    start, end = _day_bounds(day)
    recorded = {
        p.receipt_number: p
        for p in Payment.objects.filter(method=PaymentMethod.PROVIDER, paid_at__gte=start, paid_at__lt=end)
    }
    # A line of the day's file may pay a bill we recorded at another time (clock skew, late webhook).
    elsewhere = {
        p.receipt_number: p
        for p in Payment.objects.filter(
            method=PaymentMethod.PROVIDER, receipt_number__in=set(in_file) - set(recorded)
        )
    }
    report = Report(day=day, lines=len(lines), matched=0)
    for transaction_id, line in in_file.items():
        payment = recorded.get(transaction_id) or elsewhere.get(transaction_id)
        if payment is None:
            report.mismatches.append(Mismatch(transaction_id, "missing", line.amount, None, line.reference))
        elif payment.amount != line.amount or line.currency != "IDR":
            report.mismatches.append(
                Mismatch(transaction_id, "amount", line.amount, payment.amount, line.reference)
            )
        else:
            report.matched += 1
    for transaction_id, payment in recorded.items():
        if transaction_id not in in_file:
            reference = payment.bill.reference if payment.bill else ""
            report.mismatches.append(Mismatch(transaction_id, "extra", None, payment.amount, reference))
    for mismatch in report.mismatches:
        anomaly, created = PaymentAnomaly.objects.get_or_create(
            kind=AnomalyKind.SETTLEMENT_MISMATCH,
            provider=provider,
            transaction_id=mismatch.transaction_id,
            defaults={
                "payment": recorded.get(mismatch.transaction_id) or elsewhere.get(mismatch.transaction_id),
                "details": {
                    "day": day.isoformat(),
                    "problem": mismatch.problem,
                    "file_amount": mismatch.file_amount,
                    "recorded_amount": mismatch.recorded_amount,
                    "reference": mismatch.reference,
                },
            },
        )
        if created:
            events.record(
                "payment.anomaly.settlement_mismatch",
                actor=actor,
                subject=anomaly,
                details={"problem": mismatch.problem, "transaction_id": mismatch.transaction_id},
            )
    return report
