"""Password rules after NIST SP 800-63B: a minimum length, a blocklist, no composition rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APPLICANT_MIN_LENGTH = 8
STAFF_MIN_LENGTH = 12


def min_length_for(user: Any) -> int:
    if user is not None and getattr(user, "is_staff_role", False):
        return STAFF_MIN_LENGTH
    return APPLICANT_MIN_LENGTH


class RoleMinimumLengthValidator:
    """At least 8 characters for applicants, 12 for staff."""

    def validate(self, password: str, user: Any = None) -> None:
        minimum = min_length_for(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min_length)d character.",
                    "This password is too short. It must contain at least %(min_length)d characters.",
                    minimum,
                ),
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(applicant)d characters (%(staff)d for staff accounts). "
            "A long phrase that is easy for you to remember works well."
        ) % {"applicant": APPLICANT_MIN_LENGTH, "staff": STAFF_MIN_LENGTH}
