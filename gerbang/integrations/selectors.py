"""Reads of the exchange: grants, nonces, cancelled passports, the log, a case's checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gerbang.core.crypto import blind_index_candidates
from gerbang.core.scoping import scope_to_offices
from gerbang.integrations.models import (
    TO_RESOLVE,
    Agency,
    CancelledPassport,
    CheckKind,
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
    return list(
        ExternalCheck.objects.filter(application=application).select_related(
            "agency", "verified_by", "resolved_by"
        )
    )


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


# Why a question was refused or brought no answer, in words (the log's codes).
REASONS = {
    "unsigned": _("not signed"),
    "bad_signature": _("the signature does not verify"),
    "unknown_key": _("a key nobody registered, or retired"),
    "missing_purpose": _("no purpose stated"),
    "missing_legal_basis": _("no legal basis stated"),
    "missing_reference": _("no reference stated"),
    "invalid_header": _("a header too long"),
    "out_of_scope": _("the agency may not ask this"),
    "legal_basis": _("not the legal basis granted"),
    "rate_limited": _("too many questions"),
    "replay": _("asked before (a replay)"),
    "invalid_request": _("the question is not valid"),
    "too_large": _("too large"),
    "method": _("not a POST"),
    "timeout": _("no answer in time"),
    "unreachable": _("could not be reached"),
    "unavailable": _("unavailable"),
    "circuit_open": _("left alone after failures in a row"),
    "bad_answer": _("an answer that cannot be used"),
    "refused": _("our question was refused"),
    "not_configured": _("no address registered"),
}


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


def service_label(code: str) -> str:
    """An exchange's service (inbound) or check (outbound), in words."""
    for choices in (InboundService, CheckKind):
        if code in choices.values:
            return str(choices(code).label)
    return code


def work_counts(user: Any) -> dict[str, int]:
    """For an officer's home: the cases of their offices waiting on a partner agency, and the
    watch-list hits waiting for their finding."""
    checks = scope_to_offices(ExternalCheck.objects.all(), user, office_field="application__office")
    return {
        "waiting": checks.filter(status=CheckStatus.WAITING).values("application").distinct().count(),
        "to_resolve": checks.filter(verdict__in=TO_RESOLVE, resolution="").count(),
    }
