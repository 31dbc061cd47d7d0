"""Events to log, made as services make them (``core.events.record``); a change of the log's key."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gerbang.core import events
from gerbang.core.actors import DEMO
from gerbang.core.models import Event
from gerbang.ledger import keys
from gerbang.ledger.tlog.note import Ed25519Signer, generate_signer


def logged_events(subject: Any, count: int, *, code: str = "application.submitted") -> list[Event]:
    return [
        events.record(code, actor=DEMO, subject=subject, details={"n": n}, office_id=subject.pk)
        for n in range(count)
    ]


def rotate_key(settings: Any, *, transition: bool) -> tuple[Ed25519Signer, Ed25519Signer]:
    """Replace the log's key as the operator does (docs/operations.md): a new LEDGER_SIGNING_KEY,
    the old verifier key listed as retired now, and (a routine change) the old signer key signing
    along during the transition. Returns the old and the new signer."""
    old = keys.signer()
    new = generate_signer(keys.origin())
    retired = f"{old.verifier().verifier_key()} {timezone.now().isoformat()}"
    settings.LEDGER_PREVIOUS_VERIFIER_KEYS = [*settings.LEDGER_PREVIOUS_VERIFIER_KEYS, retired]
    settings.LEDGER_SIGNING_KEY = new.signer_key()
    settings.LEDGER_TRANSITION_SIGNING_KEY = old.signer_key() if transition else ""
    return old, new
