"""The log's name and keys, from settings (the environment; never the database)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from gerbang.ledger.tlog.note import Ed25519Signer, Ed25519Verifier, parse_signer_key


def origin() -> str:
    """The log's name: the first line of its checkpoints and the name of its key."""
    return str(settings.LEDGER_ORIGIN)


def signer() -> Ed25519Signer:
    """The log's signing key, named for the log's origin (only the key's seed is taken from
    ``LEDGER_SIGNING_KEY``, so a local key made under another origin still signs as this log)."""
    parsed = parse_signer_key(settings.LEDGER_SIGNING_KEY)
    return Ed25519Signer(origin(), parsed.seed)


def verifier() -> Ed25519Verifier:
    """The public key that checks the log's checkpoints."""
    return signer().verifier()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under ``LEDGER_HASH_KEY`` of ``purpose`` NUL ``value``, in hex: the same value
    always gives the same hash (one actor's events can be linked), and nobody without the key can
    test a guess."""
    key = settings.LEDGER_HASH_KEY.encode()
    message = purpose.encode() + b"\x00" + value.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
