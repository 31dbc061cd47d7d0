"""What looks like personal data in text people write for others to read (a review, a post, a
proposal): an email address, a NIK, a phone number, a passport number, a long number (an
account, a card, a document). One set of rules for every app that publishes what people write,
so that what is masked, and how it looks once masked, is the same everywhere. The assistant's
own masking of questions (``assistant.masking``) goes further (case numbers, booking codes,
dates, names), for a different purpose: learning what people ask, never who asked."""

from __future__ import annotations

import re
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# How removed data reads wherever it was removed.
MASK = "[•••]"


class Kind(StrEnum):
    EMAIL = "email"
    NIK = "nik"
    PHONE = "phone"
    PASSPORT = "passport"
    NUMBER = "number"


# Checked in this order, each on what the ones before left: a NIK is not also read as a phone
# number, nor a phone number as a long number.
PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.EMAIL, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    # 16 digits, maybe written in groups (3271 0101 9001 0001).
    (Kind.NIK, re.compile(r"(?<!\d)(?:\d[ .-]?){15}\d(?!\d)")),
    # Indonesian numbers: 08…, +62 8…, 62 8…, with spaces, dots or dashes between the groups.
    (Kind.PHONE, re.compile(r"(?<![\w+])(?:\+62|62|0)[ .-]?8(?:[ .-]?\d){7,12}(?!\d)")),
    # Indonesian passports: one or two letters and seven digits (B1234567, XC1234567).
    (Kind.PASSPORT, re.compile(r"(?<![\w])[A-Za-z]{1,2}\d{7}(?![\w])")),
    # Any other run of ten digits or more.
    (Kind.NUMBER, re.compile(r"(?<!\d)\d{10,}(?!\d)")),
)


# What each kind is called, for a moderator's eyes.
LABELS: dict[str, Promise] = {
    Kind.EMAIL: _("An email address"),
    Kind.PHONE: _("A phone number"),
    Kind.NIK: _("A 16-digit number like a NIK"),
    Kind.PASSPORT: _("A passport number"),
    Kind.NUMBER: _("A long number (an account, a card or a document)"),
}


def kinds_in(text: str) -> list[str]:
    """The kinds of personal data ``text`` seems to hold, in a stable order."""
    found = []
    rest = text
    for kind, pattern in PATTERNS:
        if pattern.search(rest):
            found.append(kind.value)
            rest = pattern.sub(" ", rest)
    return found


def masked(text: str) -> str:
    """``text`` with every part that looks like personal data replaced by ``MASK``."""
    for _kind, pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text
