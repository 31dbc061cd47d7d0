"""The log's name and keys, from settings (the environment; never the database).

The log signs with ``LEDGER_SIGNING_KEY``. The keys it signed with before are listed, public
half only, in ``LEDGER_PREVIOUS_VERIFIER_KEYS`` with when each was retired, so that the
checkpoints they signed keep verifying; during a routine change ``LEDGER_TRANSITION_SIGNING_KEY``
(the previous signer key) signs every new checkpoint too (docs/ledger.md, "Changing the log's
key"). A configuration that cannot be right raises ``ImproperlyConfigured`` saying which value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from gerbang.ledger.tlog.errors import TlogError
from gerbang.ledger.tlog.note import Ed25519Signer, Ed25519Verifier, parse_signer_key, parse_verifier_key


def origin() -> str:
    """The log's name: the first line of its checkpoints and the name of its key."""
    return str(settings.LEDGER_ORIGIN)


def _seed(setting: str) -> bytes:
    value = getattr(settings, setting)
    try:
        parsed = parse_signer_key(value)
    except TlogError as error:
        raise ImproperlyConfigured(
            f"{setting} is not a signer key (PRIVATE+KEY+name+id+key): {error}"
        ) from None
    if type(parsed) is not Ed25519Signer:
        raise ImproperlyConfigured(f"{setting} must be an Ed25519 (type 0x01) signer key")
    return parsed.seed


def signer() -> Ed25519Signer:
    """The log's signing key, named for the log's origin (only the key's seed is taken from
    ``LEDGER_SIGNING_KEY``, so a local key made under another origin still signs as this log)."""
    return Ed25519Signer(origin(), _seed("LEDGER_SIGNING_KEY"))


def verifier() -> Ed25519Verifier:
    """The public key that checks the log's new checkpoints (the current key)."""
    return signer().verifier()


def public_key_text(public_key: bytes) -> str:
    """How a key is named in the database (``Checkpoint.public_key``): its 32 bytes in base64."""
    return base64.b64encode(public_key).decode("ascii")


@dataclass(frozen=True)
class RetiredKey:
    """A key the log signed with before its current one: as configured, and when it was retired."""

    verifier: Ed25519Verifier
    retired_at: datetime

    @property
    def public_key(self) -> bytes:
        return self.verifier.public_key


def _retired_at(text: str, entry: str) -> datetime:
    try:
        if "T" not in text:
            day = date.fromisoformat(text)
            return datetime.combine(day, time(), tzinfo=timezone.get_default_timezone()).astimezone(UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(
            f"LEDGER_PREVIOUS_VERIFIER_KEYS: {text!r} (in {entry!r}) is not a date or an ISO 8601 time"
        ) from None
    if moment.tzinfo is None:
        raise ImproperlyConfigured(
            f"LEDGER_PREVIOUS_VERIFIER_KEYS: {text!r} has no time zone: write it in UTC with a Z "
            "(2026-12-01T03:00:00Z) or with its offset (+07:00)"
        )
    return moment.astimezone(UTC)


@lru_cache(maxsize=8)
def _parse_retired(entries: tuple[str, ...], current: bytes) -> tuple[RetiredKey, ...]:
    found: list[RetiredKey] = []
    for entry in entries:
        words = entry.split()
        if len(words) != 2:
            raise ImproperlyConfigured(
                f"LEDGER_PREVIOUS_VERIFIER_KEYS: {entry!r} is not '<verifier key> <retired at>'"
            )
        try:
            key = parse_verifier_key(words[0])
        except TlogError as error:
            raise ImproperlyConfigured(
                f"LEDGER_PREVIOUS_VERIFIER_KEYS: {words[0]!r} is not a verifier key: {error}"
            ) from None
        if type(key) is not Ed25519Verifier:
            raise ImproperlyConfigured(
                f"LEDGER_PREVIOUS_VERIFIER_KEYS: {words[0]!r} is not an Ed25519 (type 0x01) key"
            )
        if key.public_key == current:
            raise ImproperlyConfigured(
                "LEDGER_PREVIOUS_VERIFIER_KEYS lists the current key (LEDGER_SIGNING_KEY's) as retired"
            )
        if any(other.public_key == key.public_key for other in found):
            raise ImproperlyConfigured(f"LEDGER_PREVIOUS_VERIFIER_KEYS lists {words[0]!r} twice")
        found.append(RetiredKey(key, _retired_at(words[1], entry)))
    return tuple(sorted(found, key=lambda key: key.retired_at))


def retired() -> tuple[RetiredKey, ...]:
    """The keys the log signed with before, oldest retirement first."""
    entries = tuple(settings.LEDGER_PREVIOUS_VERIFIER_KEYS)
    if not entries:
        return ()
    return _parse_retired(entries, signer().public_key)


def transition_signer() -> Ed25519Signer | None:
    """During a routine key change, the previous key, which signs new checkpoints too."""
    if not settings.LEDGER_TRANSITION_SIGNING_KEY:
        return None
    previous = Ed25519Signer(origin(), _seed("LEDGER_TRANSITION_SIGNING_KEY"))
    if previous.public_key == signer().public_key:
        raise ImproperlyConfigured(
            "LEDGER_TRANSITION_SIGNING_KEY is the current key: it must be the previous one, or empty"
        )
    if not any(key.public_key == previous.public_key for key in retired()):
        raise ImproperlyConfigured(
            "LEDGER_TRANSITION_SIGNING_KEY must be the signer key of a key listed in "
            "LEDGER_PREVIOUS_VERIFIER_KEYS (the one being retired)"
        )
    return previous


def signers() -> list[Ed25519Signer]:
    """Who signs a new checkpoint: the current key, and the previous one during a change."""
    previous = transition_signer()
    return [signer()] if previous is None else [signer(), previous]


def configuration_problems() -> list[str]:
    """What is wrong with the log's keys as configured (empty when they can be used)."""
    try:
        retired()
        signers()
    except ImproperlyConfigured as error:
        return [str(error)]
    return []


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under ``LEDGER_HASH_KEY`` of ``purpose`` NUL ``value``, in hex: the same value
    always gives the same hash (one actor's events can be linked), and nobody without the key can
    test a guess."""
    key = settings.LEDGER_HASH_KEY.encode()
    message = purpose.encode() + b"\x00" + value.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
