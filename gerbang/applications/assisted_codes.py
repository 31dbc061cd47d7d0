"""The one-time take-over codes of assisted applications.

A code is eight Crockford base-32 characters (40 bits), written ``XXXX-XXXX``. It is made from
the code's random nonce and the server's secret (an HMAC), so the printed summary and the SMS
show the same code while only its keyed hash is stored: whoever reads the database alone learns
no code. Typing is forgiving: case, spaces and dashes do not matter, and O/I/L read as 0/1/1.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

from gerbang.core import crypto

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_SALT = "gerbang.applications.takeover-code"
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_nonce() -> str:
    return secrets.token_hex(16)


def code_for(nonce: str) -> str:
    """The code of ``nonce``, as people read it (``XXXX-XXXX``)."""
    value = int.from_bytes(salted_hmac(_SALT, nonce, algorithm="sha256").digest()[:5], "big")
    chars = []
    for _position in range(LENGTH):
        value, index = divmod(value, 32)
        chars.append(ALPHABET[index])
    raw = "".join(reversed(chars))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(typed: str) -> str:
    """What a person typed, as the eight characters it means ("" when it cannot be a code)."""
    compact = "".join(typed.split()).replace("-", "").upper().translate(_READS_AS)
    if len(compact) != LENGTH or any(c not in ALPHABET for c in compact):
        return ""
    return compact


def hash_of(code: str) -> str:
    """The keyed hash stored for a code (typed or made)."""
    return crypto.blind_index(normalise(code), purpose="takeover-code")
