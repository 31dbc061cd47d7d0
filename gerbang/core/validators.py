"""Validators of Indonesian identifiers and contact data, with messages that say what to fix."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.id import nik as stdnum_nik

from gerbang.core.exceptions import ValidationError as DomainValidationError

_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_nik(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw or "")


def validate_nik(raw: str, *, field: str = "nik", date_of_birth: date | None = None, sex: str = "") -> str:
    """Return the NIK as 16 digits, or raise with what is wrong with it.

    The structure is PPRRSSDDMMYYXXXX: region codes, then the birth date with 40 added to the
    day for women. When the birth date and sex are known they must agree with it.
    """
    nik = normalize_nik(raw)
    try:
        stdnum_nik.validate(nik)
    except InvalidLength:
        raise DomainValidationError(_("A NIK has exactly 16 digits."), field=field) from None
    except InvalidFormat:
        raise DomainValidationError(_("A NIK contains digits only."), field=field) from None
    except InvalidComponent:
        raise DomainValidationError(
            _("This NIK has a region code or birth date that does not exist; check the digits."),
            field=field,
        ) from None
    except ValidationError:
        raise DomainValidationError(_("This is not a valid NIK."), field=field) from None
    day = int(nik[6:8])
    if sex:
        if sex == "F" and day <= 40:
            raise DomainValidationError(
                _("For women the NIK shows the birth day plus 40 (digits 7-8); check the NIK or the sex."),
                field=field,
            )
        if sex == "M" and day > 40:
            raise DomainValidationError(
                _("Digits 7-8 of this NIK are over 40, which marks a woman; check the NIK or the sex."),
                field=field,
            )
    if date_of_birth is not None:
        encoded = (day % 40 or day, int(nik[8:10]), int(nik[10:12]))
        if encoded != (date_of_birth.day, date_of_birth.month, date_of_birth.year % 100):
            raise DomainValidationError(
                _("The birth date in the NIK (digits 7-12) does not match the date of birth entered."),
                field=field,
            )
    return nik


def validate_family_card(raw: str, *, field: str = "family_card") -> str:
    """Return the family card (Kartu Keluarga) number as 16 digits, or raise with what is wrong.

    Its structure is PPRRSSDDMMYYXXXX: the region where the card was issued (as in a NIK), the
    day it was issued (no 40 added: a card has no sex), and a serial number.
    """
    number = normalize_nik(raw)
    if not number.isdigit():
        raise DomainValidationError(_("A family card number contains digits only."), field=field)
    if len(number) != 16:
        raise DomainValidationError(_("A family card number has exactly 16 digits."), field=field)
    issued = (int(number[6:8]), int(number[8:10]), int(number[10:12]))
    # The region codes python-stdnum knows for NIKs serve family cards too.
    if not numdb.get("id/loc").info(number[:4])[0][1] or not _a_day(*issued):
        raise DomainValidationError(
            _(
                "This family card number has a region code or issue date that does not exist; check the digits."
            ),
            field=field,
        )
    return number


def _a_day(day: int, month: int, year: int) -> bool:
    try:
        date(2000 + year, month, day)
    except ValueError:
        return False
    return True


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """A phone number in E.164 form; Indonesian numbers may be written 08…, 628… or +628…."""
    compact = _SEPARATORS.sub("", raw or "")
    if not compact:
        return ""
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("62"):
        digits = compact
    elif compact.startswith("0"):
        digits = "62" + compact[1:]
    else:
        raise DomainValidationError(
            _("Write the number starting with 0 (e.g. 0812 3456 7890) or with its country code (+62…)."),
            field=field,
        )
    if not digits.isdigit():
        raise DomainValidationError(_("A phone number contains digits only."), field=field)
    if digits.startswith("62"):
        national = digits[2:]
        if national.startswith("0") or not 8 <= len(national) <= 12:
            raise DomainValidationError(
                _("This Indonesian phone number has too few or too many digits."), field=field
            )
    elif not 8 <= len(digits) <= 15:
        raise DomainValidationError(
            _("An international phone number has 8 to 15 digits after the +."), field=field
        )
    return f"+{digits}"
