"""Application numbers: office code, year, a random part and a check character.

Example: ``MESUJI-2026-7K3QH-9TX2MT``. The random part is ten Crockford base-32 characters (50
bits from ``secrets``), so numbers cannot be guessed or counted; the last character is
Crockford's mod-37 check symbol, which catches a mistyped or swapped character before any
look-up. Reading is forgiving: lower case, spaces, O for 0 and I or L for 1 are accepted.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
RANDOM_LENGTH = 10
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_symbol(random_part: str) -> str:
    value = 0
    for char in random_part:
        value = value * 32 + ALPHABET.index(char)
    return CHECK_ALPHABET[value % 37]


def office_prefix(office_code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", office_code.upper())[:12] or "OFFICE"


def new_number(*, office_code: str, year: int) -> str:
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return (
        f"{office_prefix(office_code)}-{year}-{random_part[:5]}-{random_part[5:]}{check_symbol(random_part)}"
    )


def normalize(raw: str) -> str | None:
    """The number in its canonical form, or None when it cannot be one (wrong check character).

    Separators are optional: the last eleven characters are the random part and the check
    character, the four before them the year, and the rest the office prefix.
    """
    compact = re.sub(r"[\s\-]", "", (raw or "").upper())
    if len(compact) < RANDOM_LENGTH + 1 + 4 + 2:
        return None
    prefix = compact[: -(RANDOM_LENGTH + 5)]
    year = compact[-(RANDOM_LENGTH + 5) : -(RANDOM_LENGTH + 1)].translate(CONFUSABLE)
    rest = compact[-(RANDOM_LENGTH + 1) :].translate(CONFUSABLE)
    if not year.isdigit() or not prefix.isalnum():
        return None
    random_part, check = rest[:-1], rest[-1]
    if any(char not in ALPHABET for char in random_part) or check_symbol(random_part) != check:
        return None
    return f"{prefix}-{year}-{random_part[:5]}-{random_part[5:]}{check}"
