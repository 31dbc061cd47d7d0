"""No personal data in public posts: email addresses, NIKs and phone numbers are masked before
a post or a proposal is stored (the writer is told), and authors are shown by a display name."""

from __future__ import annotations

import re

from gerbang.core.actors import SystemActor

# The marker reviews use too (satisfaction), so removed data looks the same everywhere.
HIDDEN = "[•••]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A NIK: 16 digits, maybe written in groups (3271 0101 9001 0001).
NIK = re.compile(r"(?<!\d)(?:\d[ .-]?){15}\d(?!\d)")
# An Indonesian phone number: 08…, +62 8…, 62 8…, with spaces, dots or dashes.
PHONE = re.compile(r"(?<![\d+])(?:\+62|62|0)[ .-]?8(?:[ .-]?\d){7,12}(?!\d)")
# Any other long run of digits (an account or passport-like number).
DIGITS = re.compile(r"(?<!\d)\d{10,}(?!\d)")


def mask(text: str) -> tuple[str, bool]:
    """``text`` with personal data replaced by ``HIDDEN``, and whether anything was."""
    masked = text
    for pattern in (EMAIL, NIK, PHONE, DIGITS):
        masked = pattern.sub(HIDDEN, masked)
    return masked, masked != text


def display_name(user: object) -> str:
    """What readers see of an author: the first name and the initial of the last ("Budi S."),
    never the email; without a name, a number."""
    if isinstance(user, SystemActor):
        return "Gerbang"
    words = str(getattr(user, "full_name", "") or "").split()
    if not words:
        return f"Warga {getattr(user, 'pk', '')}".strip()
    if len(words) == 1:
        return words[0][:40]
    return f"{words[0][:40]} {words[-1][0]}."
