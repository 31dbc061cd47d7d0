"""Helpers shared by every app's forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.core.exceptions import ApplicationError
from gerbang.core.formatting import money_text

# What a date typed as day/month/year looks like, in the reader's language ("HH/BB/TTTT").
DATE_PLACEHOLDER = _("DD/MM/YYYY")


def add_service_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a service's error on the field it names (or on the form), keeping the input."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


class RupiahField(forms.IntegerField):
    """Whole rupiah, written as people write it: "350000", "350.000", "Rp 1.000.000" or
    "350,000" all mean the same amount. (Django's IntegerField would read "350.000" as 350.)"""

    default_error_messages = {
        "invalid": money_text(
            _("Write the amount in whole rupiah, for example %(example)s."), example=350_000
        )
    }

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = re.sub(r"(?i)^\s*rp\.?\s*", "", str(value)).replace(" ", "")
        if not re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d+", text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(re.sub(r"[.,]", "", text))


class DateInput(forms.DateInput):
    """A browser date field. Its value must be ISO (YYYY-MM-DD): a browser silently drops any
    other format, so an initial date in the local format would vanish from the form."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
