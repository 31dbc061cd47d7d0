"""Personal data out of a question before it is stored: numbers, codes, addresses and names
replaced by placeholders ("[NIK]", "[PHONE]", ...).

A question is kept to learn what people ask, never who asked: whatever could name a person or
open their file (an identity number, a passport, a case number, a booking or billing code, a
card, a phone number, an email address, a birth date, a name they gave) goes before the text is
written anywhere. The rules err on the side of masking: a date that is not a birth date, or a
code that is not a person's, is masked all the same, since what people ask does not hang on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# How the placeholders read (English, like the code; the staff page shows them as they are).
EMAIL = "[EMAIL]"
CASE = "[CASE]"
BOOKING = "[BOOKING]"
NIK = "[NIK]"
BILLING = "[BILLING]"
CARD = "[CARD]"
PHONE = "[PHONE]"
PASSPORT = "[PASSPORT]"
DATE = "[DATE]"
NAME = "[NAME]"
NUMBER = "[NUMBER]"
CODE = "[CODE]"

PLACEHOLDERS = (EMAIL, CASE, BOOKING, NIK, BILLING, CARD, PHONE, PASSPORT, DATE, NAME, NUMBER, CODE)

_I = re.IGNORECASE

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", _I)
# An application number: office prefix, year, two random groups (MESUJI-2026-7K3QH-9TX2M), read
# as forgivingly as the tracking page reads it (any separators, or none).
_CASE = re.compile(r"\b[a-z][a-z0-9]{1,11}[\s-]?(?:19|20)\d\d[\s-]?[a-z0-9]{5}[\s-]?[a-z0-9]{5,6}\b", _I)
# A booking code (7K3Q-H9TX-M) or a consultation reference (KONS-7K3Q-H9TX).
_BOOKING = re.compile(
    r"\b(?:[a-z0-9]{4}-[a-z0-9]{4}-|(?=[a-z ]{0,10}\d)[a-z0-9]{4} [a-z0-9]{4} )[a-z0-9*~$=](?![\w*~$=])", _I
)
_REFERENCE = re.compile(r"\bkons[\s-]?[a-z0-9]{4}[\s-]?[a-z0-9]{4}\b", _I)
# Digits in groups (a card "4111 1111 1111 1111", a NIK "3201 0101 0101 0001").
_DIGIT_GROUPS = re.compile(r"(?<![\d+])\d{2,6}(?:[ .-]\d{2,6}){2,5}(?![\d])")
# A phone number: Indonesian mobile (08…, 628…, +62 8…) or any international one (+…).
_PHONE = re.compile(
    r"(?:\+\s?\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,5}){2,4}"
    r"|(?<![\d])(?:62|0)\s?8\d{1,3}(?:[\s.-]?\d{2,5}){1,4})(?![\d])"
)
# A passport number: one or two letters and six to eight digits (Indonesian: X1234567).
_PASSPORT = re.compile(r"\b[a-z]{1,2}\s?\d{6,8}\b", _I)
_MONTHS = (
    "januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember"
    "|january|february|march|may|june|july|august|october|december"
    "|jan|feb|mar|apr|jun|jul|agu|agt|aug|sep|sept|okt|oct|nov|des|dec"
)
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})\b",
    _I,
)
# A name the asker gives: the words after "nama saya", "my name is", ... up to a word that
# goes on with the question.
_NAME_LEAD = re.compile(
    r"\b(nama\s+(?:lengkap\s+)?(?:saya|sy|ku|aku|anak\s+saya|anak\s+sy)(?:\s+adalah)?|saya\s+bernama"
    r"|atas\s+nama|a\.\s?n\.|my\s+(?:full\s+)?name\s+is|my\s+name's|name\s*:|nama\s*:)\s*",
    _I,
)
_NAME_STOP = frozenset(
    [
        "dan",
        "and",
        "mau",
        "ingin",
        "pengen",
        "pgn",
        "want",
        "would",
        "saya",
        "sy",
        "aku",
        "i",
        "dari",
        "from",
        "yang",
        "who",
        "di",
        "at",
        "in",
        "ke",
        "to",
        "tinggal",
        "live",
        "lahir",
        "born",
        "umur",
        "age",
        "with",
        "dengan",
        "sudah",
        "udah",
        "already",
        "belum",
        "not",
        "tidak",
        "ga",
        "gak",
        "nggak",
        "bagaimana",
        "gimana",
        "gmn",
        "how",
        "what",
        "apa",
        "kapan",
        "when",
        "where",
        "dimana",
        "berapa",
        "brp",
    ]
)
_NAME_WORD = re.compile(r"[^\W\d_][\w'.-]*", re.UNICODE)
# Whatever is left that still looks like an identifier: a long run of digits, or a word of
# letters and digits mixed (a receipt code, a reference).
_LONG_NUMBER = re.compile(r"(?<![\d])\d{8,}(?![\d])")
_IDENTITY_RUN = re.compile(r"(?<![\d])\d{13,19}(?![\d])")
# A random token of 16 or more URL-safe characters (a queue ticket's link, 22 of them), told
# from a long word by a digit, a capital letter or an underscore in it (case-sensitive).
_TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*[\dA-Z_])[\w-]{16,}(?![\w-])")
_MIXED_CODE = re.compile(r"\b(?=[a-z0-9-]*\d)(?=[a-z0-9-]*[a-z])[a-z0-9][a-z0-9-]{5,}\b", _I)


def _digits_by_length(match: re.Match[str]) -> str:
    """Digits in a run or in groups: by how many there are, an identity number (16), a billing
    code (15), a card (13 to 19), else a long number."""
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    grouped = text != digits
    if len(digits) != 16 and re.match(r"(?:08|628)", digits) and len(digits) <= 15:
        return PHONE
    if len(digits) == 16 and not grouped:
        return NIK
    if len(digits) == 15:
        return BILLING
    if 13 <= len(digits) <= 19:
        return CARD if grouped or len(digits) != 16 else NIK
    if len(digits) >= 8:
        return NUMBER
    return text


def _mask_name(text: str) -> str:
    out: list[str] = []
    position = 0
    for lead in _NAME_LEAD.finditer(text):
        if lead.start() < position:
            continue
        out.append(text[position : lead.end()])
        cursor = lead.end()
        words = 0
        end = cursor
        while words < 4:
            word = _NAME_WORD.match(text, cursor)
            if word is None or word.group(0).lower().strip(".") in _NAME_STOP:
                break
            end = word.end()
            words += 1
            gap = re.match(r"[ \t]+", text[end:])
            cursor = end + (gap.end() if gap else 0)
            if gap is None:
                break
        if words:
            out.append(NAME)
            position = end
        else:
            position = lead.end()
    out.append(text[position:])
    return "".join(out)


_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, EMAIL),
    (_CASE, CASE),
    (_REFERENCE, CODE),
    (_BOOKING, BOOKING),
    (_DATE, DATE),
    (_IDENTITY_RUN, _digits_by_length),
    (_PHONE, PHONE),
    (_DIGIT_GROUPS, _digits_by_length),
    (_LONG_NUMBER, _digits_by_length),
    (_PASSPORT, PASSPORT),
    (_TOKEN, CODE),
    (_MIXED_CODE, CODE),
)


def mask(text: str) -> str:
    """``text`` with every piece of personal data replaced by its placeholder."""
    masked = text
    for pattern, replacement in _RULES:
        masked = pattern.sub(replacement, masked)
    return _mask_name(masked)
