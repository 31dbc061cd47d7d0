"""Checks of single form values, each raising a ValidationError that says what to fix.

Names follow ICAO 9303 (Part 3): Latin letters, spaces, hyphens and apostrophes; letters with
diacritics are accepted and shown in the machine-readable zone in their ICAO transliteration.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _
from mrz.base.functions import transliterate  # type: ignore[import-untyped]
from mrz.generator.dictionaries.latin_based import transliteration as LATIN  # type: ignore[import-untyped]

from gerbang.core.exceptions import ValidationError

# The name field of a TD3 (passport) machine-readable zone holds 39 characters.
MRZ_NAME_LENGTH = 39
_NAME_PUNCTUATION = set(" -'")
_POSTAL_CODE = re.compile(r"^[1-9][0-9]{4}$")


def mrz_name(name: str) -> str:
    """The name as the machine-readable zone writes it: upper-case A-Z, '<' between words."""
    ascii_name = transliterate(name.strip().replace("'", ""), LATIN, " ").upper()
    return re.sub(r"[^A-Z]+", "<", ascii_name).strip("<")


def clean_name(raw: str, *, field: str) -> str:
    name = re.sub(r"\s+", " ", (raw or "").strip())
    if not name:
        raise ValidationError(_("Enter the name."), field=field)
    for char in name:
        if char in _NAME_PUNCTUATION:
            continue
        if not char.isalpha() or not mrz_name(char):
            raise ValidationError(
                _(
                    "A passport name may contain only letters, spaces, hyphens (-) and apostrophes ('); "
                    "remove “%(char)s”."
                )
                % {"char": char},
                field=field,
            )
    if sum(c.isalpha() for c in name) < 2:
        raise ValidationError(_("A name has at least two letters."), field=field)
    if len(mrz_name(name)) > MRZ_NAME_LENGTH:
        raise ValidationError(
            _(
                "A passport can hold a name of at most %(count)s characters. Write it as on your "
                "identity card; if it is longer, abbreviate middle names as the office advises."
            )
            % {"count": MRZ_NAME_LENGTH},
            field=field,
        )
    return name


def clean_date(raw: str, *, field: str, past: bool = False, future: bool = False, today: date) -> date:
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("Enter the date."), field=field)
    parsed: date | None = None
    for pattern in (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"):
        match = re.match(pattern, value)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = parts if pattern.startswith("^(\\d{4})") else parts[::-1]
            try:
                parsed = date(year, month, day)
            except ValueError:
                raise ValidationError(
                    _("This date does not exist; check the day and month."), field=field
                ) from None
            break
    if parsed is None:
        raise ValidationError(_("Write the date as DD/MM/YYYY, e.g. 17/08/1990."), field=field)
    if past and parsed >= today:
        raise ValidationError(_("This date must be in the past."), field=field)
    if future and parsed <= today:
        raise ValidationError(_("This date must be in the future."), field=field)
    if parsed.year < 1900:
        raise ValidationError(_("Check the year of this date."), field=field)
    return parsed


def clean_postal_code(raw: str, *, field: str) -> str:
    value = re.sub(r"\s", "", raw or "")
    if not _POSTAL_CODE.match(value):
        raise ValidationError(
            _("An Indonesian postal code has 5 digits and does not start with 0, e.g. 34567."), field=field
        )
    return value


def clean_document_number(raw: str, *, field: str) -> str:
    value = re.sub(r"[\s-]", "", raw or "").upper()
    if not re.fullmatch(r"[A-Z0-9]{6,9}", value):
        raise ValidationError(
            _("A passport number has 6 to 9 letters and digits, as printed on the data page."), field=field
        )
    return value


def clean_reference(raw: str, *, field: str, max_length: int = 30) -> str:
    """A number another office gave (a request or letter number): letters and digits, with
    -, / or . between them, in capitals; spaces around the separators are dropped."""
    value = re.sub(r"\s*([-/.])\s*", r"\1", (raw or "").strip()).upper()
    if not re.fullmatch(r"[A-Z0-9](?:[A-Z0-9/.-]*[A-Z0-9])?", value) or not 4 <= len(value) <= max_length:
        raise ValidationError(
            _(
                "Write the number with letters and digits, with -, / or . between them and no spaces "
                "(%(min)s to %(max)s characters)."
            )
            % {"min": 4, "max": max_length},
            field=field,
        )
    return value


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
