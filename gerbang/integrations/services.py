"""Writes of the exchange: the log of every question and answer, and the registry of partner
agencies, their keys and their grants. (The checks a case waits for: ``checks.py``.)"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.core import events
from gerbang.core import exchange_protocol as protocol
from gerbang.core.actors import Actor
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.core.permissions import Perm, require_permission_unless_system
from gerbang.integrations.models import Agency, AgencyKey, Exchange, Grant, InboundService, Outcome

# The event of an exchange, by its outcome: every one is a leaf of the public log.
EVENT_CODES = {
    Outcome.ANSWERED: "exchange.answered",
    Outcome.REFUSED: "exchange.refused",
    Outcome.FAILED: "exchange.failed",
}


@transaction.atomic
def exchange_record(*, by: Actor | None, outcome: Outcome, **fields: Any) -> Exchange:
    """Log one question and what became of it, with its event (of the public log); ``by``
    is who asked (an officer, the system) or None for a partner's question. The
    event holds ids, codes and the message digests only, never what was asked about."""
    exchange = Exchange.objects.create(outcome=outcome, **fields)
    application = fields.get("application")
    events.record(
        EVENT_CODES[outcome],
        actor=by,
        subject=exchange,
        office_id=application.office_id if application is not None else None,
        details={
            "direction": exchange.direction,
            "agency": exchange.agency.code if exchange.agency else None,
            "service": exchange.service,
            "reason": exchange.reason,
            "status": exchange.status,
            "key_id": exchange.key_id,
            "nonce": exchange.nonce,
            "request_digest": exchange.request_digest,
            "response_digest": exchange.response_digest,
            "application": application.pk if application is not None else None,
        },
    )
    return exchange


# --- The registry of agencies ----------------------------------------------------------------


@transaction.atomic
def agency_register(*, code: str, name: str, base_url: str = "", actor: Actor) -> Agency:
    """Register a partner agency (or update its name and address)."""
    require_permission_unless_system(actor, Perm.EXCHANGE_MANAGE)
    agency, created = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "base_url": base_url}
    )
    events.record(
        "exchange.agency_registered" if created else "exchange.agency_changed",
        actor=actor,
        subject=agency,
        details={"code": code, "base_url": base_url},
    )
    return agency


@transaction.atomic
def agency_key_add(*, agency: Agency, key_id: str, public_pem: str, actor: Actor) -> AgencyKey:
    """Add a public key the agency gave (out of band, its fingerprint read back to it)."""
    require_permission_unless_system(actor, Perm.EXCHANGE_MANAGE)
    key_id = key_id.strip()
    if not key_id or len(key_id) > 100 or not key_id.isprintable() or '"' in key_id:
        raise ValidationError(
            _("Give a key id of at most 100 printable characters, without quotes."), field="key_id"
        )
    try:
        fingerprint = protocol.fingerprint(public_pem)
    except ValueError:
        raise ValidationError(
            _("This is not an Ed25519 public key in PEM form (-----BEGIN PUBLIC KEY-----)."),
            field="public_pem",
        ) from None
    existing = AgencyKey.objects.filter(key_id=key_id).first()
    if existing is not None:
        if existing.agency_id == agency.pk and existing.fingerprint == fingerprint:
            return existing
        raise Conflict(_("Another key already has this key id; give the new key its own id."))
    key = AgencyKey.objects.create(
        agency=agency, key_id=key_id, public_pem=public_pem.strip() + "\n", fingerprint=fingerprint
    )
    events.record(
        "exchange.key_added",
        actor=actor,
        subject=agency,
        details={"key_id": key_id, "fingerprint": fingerprint},
    )
    return key


@transaction.atomic
def agency_key_retire(*, key: AgencyKey, actor: Actor) -> AgencyKey:
    """Stop trusting a key (rotated out, or lost): questions signed with it are refused."""
    require_permission_unless_system(actor, Perm.EXCHANGE_MANAGE)
    if key.retired_at is None:
        key.retired_at = timezone.now()
        key.save(update_fields=["retired_at"])
        events.record("exchange.key_retired", actor=actor, subject=key.agency, details={"key_id": key.key_id})
    return key


@transaction.atomic
def grant_set(
    *, agency: Agency, service: InboundService | str, legal_basis: str, per_minute: int, actor: Actor
) -> Grant:
    """Let the agency ask one inbound service, on this legal basis, at most ``per_minute``."""
    require_permission_unless_system(actor, Perm.EXCHANGE_MANAGE)
    if not legal_basis.strip():
        raise ValidationError(
            _("Name the law and article that allow the agency to ask."), field="legal_basis"
        )
    service = InboundService(service)
    grant = Grant.objects.filter(agency=agency, service=service, revoked_at__isnull=True).first()
    if grant is None:
        grant = Grant.objects.create(
            agency=agency, service=service, legal_basis=legal_basis.strip(), per_minute=per_minute
        )
    else:
        grant.legal_basis, grant.per_minute = legal_basis.strip(), per_minute
        grant.save(update_fields=["legal_basis", "per_minute"])
    events.record(
        "exchange.grant_set",
        actor=actor,
        subject=agency,
        details={"service": service.value, "legal_basis": grant.legal_basis, "per_minute": per_minute},
    )
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, actor: Actor) -> Grant:
    require_permission_unless_system(actor, Perm.EXCHANGE_MANAGE)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        events.record(
            "exchange.grant_revoked", actor=actor, subject=grant.agency, details={"service": grant.service}
        )
    return grant


def checks_forget_erased(*, applicant: Any = None, dry_run: bool = False) -> int:
    """Cases whose personal data was erased (retention, or the person's request; only
    ``applicant``'s when given) keep their checks' kinds, statuses and verdicts, not what was
    asked or answered; their cancelled passports' hashes go. Returns how many rows changed."""
    from gerbang.integrations.models import CancelledPassport, ExternalCheck

    # ``fields`` is emptied with the result (the result is encrypted: it cannot be filtered on).
    erased = ExternalCheck.objects.filter(application__personal_data_erased_at__isnull=False).exclude(
        fields=[]
    )
    passports = CancelledPassport.objects.filter(application__personal_data_erased_at__isnull=False)
    if applicant is not None:
        erased = erased.filter(application__applicant=applicant)
        passports = passports.filter(application__applicant=applicant)
    if dry_run:
        return erased.count() + passports.count()
    with transaction.atomic():
        forgotten = 0
        for check in erased.select_for_update():
            check.fields, check.result = [], {}
            check.save(update_fields=["fields", "result"])
            forgotten += 1
        forgotten += passports.delete()[0]
    return forgotten
