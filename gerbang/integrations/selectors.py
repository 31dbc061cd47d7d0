"""Reads of the exchange: grants, nonces, cancelled passports, the log, a case's checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from gerbang.core.crypto import blind_index_candidates
from gerbang.integrations.models import (
    Agency,
    CancelledPassport,
    CheckStatus,
    Exchange,
    ExternalCheck,
    Grant,
    InboundService,
)

PASSPORT_PURPOSE = "cancelled-passport"


def passport_key(number: str, born: date) -> str:
    """What the keyed hash of a cancelled passport is made of: its number and the birth date."""
    return f"{number.upper().replace(' ', '')}|{born.isoformat()}"


def live_grant(agency: Agency, service: InboundService) -> Grant | None:
    return Grant.objects.filter(agency=agency, service=service, revoked_at__isnull=True).first()


def nonce_used(agency: Agency, nonce: str) -> bool:
    return Exchange.objects.filter(agency=agency, accepted_nonce=nonce).exists()


def passport_cancelled(number: str, born: date) -> bool:
    hashes = blind_index_candidates(passport_key(number, born), purpose=PASSPORT_PURPOSE)
    return CancelledPassport.objects.filter(passport_index__in=hashes).exists()


def checks_of(application: Any) -> list[ExternalCheck]:
    return list(ExternalCheck.objects.filter(application=application).select_related("agency", "verified_by"))


def due_checks(now: Any, *, limit: int = 50) -> QuerySet[ExternalCheck]:
    return ExternalCheck.objects.filter(status=CheckStatus.WAITING, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )[:limit]


def exchanges(*, agency: str = "", outcome: str = "", direction: str = "") -> QuerySet[Exchange]:
    rows = Exchange.objects.select_related("agency", "application").order_by("-at", "-id")
    if agency:
        rows = rows.filter(agency__code=agency)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if direction:
        rows = rows.filter(direction=direction)
    return rows
