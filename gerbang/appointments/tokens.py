"""Booking codes and the signed token in a booking's QR code.

The code (``7K3Q-H9TX-M``) is what a person types at the kiosk: eight Crockford base-32
characters from ``secrets`` and a check character, so a mistyped code is caught before any
look-up. The QR code carries a token signed with the office network's Ed25519 key: a kiosk or
an officer's phone can check it offline with the public key (published at
``/appointments/verification-key.pem``), with no call to the server.

Token: ``GB1.<payload>.<signature>``, both base64url without padding; the payload is compact
JSON ``{"c": code, "o": office code, "s": slot start (Unix seconds), "p": purpose}``.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from gerbang.applications.numbers import ALPHABET, CONFUSABLE, check_symbol

CODE_LENGTH = 8
PREFIX = "GB1"


def new_code() -> str:
    # One draw of random bytes (every booking makes a code): 256 is a multiple of the alphabet's
    # 32 characters, so each character is equally likely.
    random_part = "".join(ALPHABET[byte % len(ALPHABET)] for byte in secrets.token_bytes(CODE_LENGTH))
    return f"{random_part[:4]}-{random_part[4:]}-{check_symbol(random_part)}"


def normalize_code(raw: str) -> str | None:
    """A typed booking code in its canonical form, or None when it cannot be one. Reading is
    forgiving (lower case, spaces or no dashes, O for 0, I or L for 1); the check character
    catches a mistyped or swapped character."""
    compact = "".join(ch for ch in (raw or "").upper() if ch not in " -").translate(CONFUSABLE)
    if len(compact) != CODE_LENGTH + 1:
        return None
    random_part, check = compact[:-1], compact[-1]
    if any(char not in ALPHABET for char in random_part) or check_symbol(random_part) != check:
        return None
    return f"{random_part[:4]}-{random_part[4:]}-{check}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_private_pem() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@cache
def _private_key(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("BOOKING_SIGNING_KEY must be an Ed25519 private key")
    return key


def public_key_pem() -> str:
    return (
        _private_key(settings.BOOKING_SIGNING_KEY)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@dataclass(frozen=True)
class TokenContent:
    code: str
    office_code: str
    starts_at: datetime
    purpose: str


def sign(content: TokenContent) -> str:
    payload = json.dumps(
        {
            "c": content.code,
            "o": content.office_code,
            "s": int(content.starts_at.timestamp()),
            "p": content.purpose,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    signature = _private_key(settings.BOOKING_SIGNING_KEY).sign(payload)
    return f"{PREFIX}.{_b64(payload)}.{_b64(signature)}"


def verify(token: str, public_key: Ed25519PublicKey | None = None) -> TokenContent | None:
    """What a genuine token says, or None for anything forged, altered or unreadable."""
    parts = (token or "").strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    key = public_key or _private_key(settings.BOOKING_SIGNING_KEY).public_key()
    try:
        payload, signature = _unb64(parts[1]), _unb64(parts[2])
        key.verify(signature, payload)
        data = json.loads(payload)
        return TokenContent(
            code=str(data["c"]),
            office_code=str(data["o"]),
            starts_at=datetime.fromtimestamp(int(data["s"]), tz=UTC),
            purpose=str(data["p"]),
        )
    except (InvalidSignature, ValueError, KeyError, TypeError, binascii.Error):
        return None
