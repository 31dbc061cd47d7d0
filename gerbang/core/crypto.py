"""Encryption of personal data at rest, and keyed hashes (blind indexes) to look it up."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Cannot decrypt value: wrong key or damaged data.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored value with the primary key (after a key rotation)."""
    return _current().rotate(token.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of a normalised value; equal values give equal hashes, nothing else leaks.

    ``purpose`` separates the hash spaces, so a NIK hash cannot be matched against a
    passport-number hash of the same digits.
    """
    key = settings.BLIND_INDEX_KEY.encode()
    message = f"{purpose}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
