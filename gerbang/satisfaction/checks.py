"""The automatic pre-check of a review before a moderator reads it: what looks like personal
data (an email address, a phone number, a NIK-like 16-digit number, a passport number), so the
moderator sees why it was flagged; and the review as published, with those parts masked."""

from __future__ import annotations

import re

from gerbang.satisfaction.models import Flag

MASK = "[•••]"

# Checked in this order: a 16-digit NIK is not also read as a phone number.
PATTERNS: tuple[tuple[Flag, re.Pattern[str]], ...] = (
    (Flag.EMAIL, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (Flag.NIK, re.compile(r"(?<!\d)\d{16}(?!\d)")),
    # Indonesian numbers: 08…, +62 8…, 62 8…, with spaces, dots or dashes between the groups.
    (Flag.PHONE, re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?8(?:[\s.-]?\d){7,11}(?!\d)")),
    # Indonesian passports: one or two letters and seven digits (B1234567, XC1234567).
    (Flag.PASSPORT, re.compile(r"(?<![\w])[A-Za-z]{1,2}\d{7}(?![\w])")),
)


def flags_of(text: str) -> list[str]:
    """The kinds of personal data ``text`` seems to hold, in a stable order."""
    found = []
    rest = text
    for flag, pattern in PATTERNS:
        if pattern.search(rest):
            found.append(flag.value)
            rest = pattern.sub(" ", rest)
    return found


def masked(text: str) -> str:
    """``text`` with every part that looks like personal data replaced by ``MASK``."""
    for _flag, pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text
