"""Encryption of personal data at rest, and keyed hashes (blind indexes) to look it up.

Field encryption keys form a ring of numbered versions, from ``settings.FIELD_ENCRYPTION_KEYS``:
``"3:<fernet key>,2:<fernet key>"``, the first entry encrypts, every entry decrypts. An entry
without a version (``"<fernet key>"``, the form of the first releases and of the local key file)
is version 1, so only one entry may lack a version.

A stored value says which key encrypted it: ``k<version>:<Fernet token>`` (``k3:gAAAAA…``). A
Fernet token is URL-safe base64 and starts with ``gAAAAA`` (its version byte 0x80), so it never
starts with ``k`` nor holds a ``:``: the prefix cannot be mistaken for a token. Values written
before versions (a bare Fernet token) are still read, by trying every key of the ring.
``manage.py rotate_keys`` re-encrypts stored values under the current version; ``--check``
counts what each version still holds (docs/operations.md, "Keys").

Blind indexes are HMAC-SHA256 under ``settings.BLIND_INDEX_KEY``; after that key changes,
``manage.py reindex_blind`` recomputes them, and ``settings.BLIND_INDEX_PREVIOUS_KEYS`` keeps
the hashes that cannot be recomputed (see ``blind_index_candidates``) findable.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# ``k<version>:`` before the token; the version is a positive integer.
_VERSIONED = re.compile(r"^k([1-9][0-9]{0,8}):")
_ENTRY = re.compile(r"^([1-9][0-9]{0,8}):(.+)$")
UNVERSIONED_KEY_VERSION = 1


class UnknownKeyVersion(ValueError):
    """A stored value names a key version the ring does not hold (a removed or missing key)."""


@dataclass(frozen=True)
class KeyRing:
    current: int
    keys: dict[int, Fernet]
    # Every key, current first: the only way to read a bare token (it names no version).
    every: MultiFernet

    @property
    def versions(self) -> list[int]:
        return list(self.keys)


def parse_keys(entries: tuple[str, ...]) -> KeyRing:
    """The ring of ``FIELD_ENCRYPTION_KEYS`` entries (``"<version>:<key>"`` or ``"<key>"``)."""
    if not entries:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS lists no key.")
    keys: dict[int, Fernet] = {}
    for position, entry in enumerate(entries, start=1):
        match = _ENTRY.match(entry.strip())
        version, key = (int(match[1]), match[2]) if match else (UNVERSIONED_KEY_VERSION, entry.strip())
        if version in keys:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS lists key version {version} twice (entry {position}); "
                "an entry without a version is version 1. Write each key as '<version>:<key>', "
                "newest first."
            )
        try:
            keys[version] = Fernet(key.encode())
        except (ValueError, TypeError) as exc:
            # Never echo the key itself.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry {position} (version {version}) is not a Fernet key "
                "(32 url-safe base64-encoded bytes; see docs/operations.md, 'Keys')."
            ) from exc
    return KeyRing(current=next(iter(keys)), keys=keys, every=MultiFernet(list(keys.values())))


@cache
def _ring(entries: tuple[str, ...]) -> KeyRing:
    return parse_keys(entries)


def key_ring() -> KeyRing:
    return _ring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def current_version() -> int:
    return key_ring().current


def version_prefix(version: int) -> str:
    return f"k{version}:"


def version_of(token: str) -> int | None:
    """The key version a stored value names; None for a bare token written before versions."""
    match = _VERSIONED.match(token)
    return int(match[1]) if match else None


def encrypt(plaintext: str) -> str:
    ring = key_ring()
    token = ring.keys[ring.current].encrypt(plaintext.encode()).decode()
    return version_prefix(ring.current) + token


def decrypt(token: str) -> str:
    ring = key_ring()
    version = version_of(token)
    try:
        if version is None:
            return ring.every.decrypt(token.encode()).decode()
        key = ring.keys.get(version)
        if key is None:
            known = ", ".join(str(v) for v in ring.versions)
            raise UnknownKeyVersion(
                f"Cannot decrypt value: it is under key version {version}, which "
                f"FIELD_ENCRYPTION_KEYS does not list (it lists {known}). Put that key back in "
                "the ring; remove a key only after `manage.py rotate_keys --check` shows it "
                "holds nothing."
            )
        return key.decrypt(token[len(version_prefix(version)) :].encode()).decode()
    except InvalidToken as exc:
        under = "no key of the ring" if version is None else f"key version {version}"
        raise ValueError(f"Cannot decrypt value: wrong key ({under}) or damaged data.") from exc


def rotate(token: str) -> str:
    """The stored value under the current key (unchanged if it already is)."""
    if version_of(token) == current_version():
        return token
    return encrypt(decrypt(token))


def _hmac(key: str, value: str, purpose: str) -> str:
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def blind_index(value: str, *, purpose: str, key: str | None = None) -> str:
    """A keyed hash of a normalised value; equal values give equal hashes, nothing else leaks.

    ``purpose`` separates the hash spaces, so a NIK hash cannot be matched against a
    passport-number hash of the same digits. ``key`` defaults to ``settings.BLIND_INDEX_KEY``
    (another key only for re-indexing).
    """
    return _hmac(key if key is not None else settings.BLIND_INDEX_KEY, value, purpose)


def blind_index_candidates(value: str, *, purpose: str) -> list[str]:
    """The hash of ``value`` under the current key, then under each previous key
    (``settings.BLIND_INDEX_PREVIOUS_KEYS``): what a look-up matches, so rows not re-indexed
    yet (and hashes that cannot be re-indexed, such as an anonymous report's code) are found."""
    keys = [settings.BLIND_INDEX_KEY, *settings.BLIND_INDEX_PREVIOUS_KEYS]
    return list(dict.fromkeys(_hmac(key, value, purpose) for key in keys))
