"""The suggested quotas as a form: one field per service with a suggestion, filled with it; the
office administrator may change any before applying them all with one button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.analytics.forecast.selectors import Group, Row
from gerbang.analytics.forecast.services import MAX_DAILY_QUOTA

# The largest id the database holds: a bigger one in a form is refused as wrong input, not a 500.
MAX_ID = 2**63 - 1


def field_name(code: str) -> str:
    return f"quota_{code}"


class QuotasForm(forms.Form):
    run = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)

    def __init__(self, *args: Any, rows: list[Row], groups: Sequence[Group] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.groups = list(groups)
        for row in rows:
            self.fields[field_name(row.service.code)] = forms.IntegerField(
                label=str(row.service.name),
                required=False,
                min_value=1,
                max_value=MAX_DAILY_QUOTA,
                initial=row.suggested,
                help_text=_("Bookings a day. Leave empty to keep the quota as it is."),
                error_messages={
                    "invalid": _("Enter a whole number of bookings a day, such as 12."),
                    "min_value": _(
                        "A daily quota is at least 1 booking; leave it empty to keep the quota as it is."
                    ),
                    "max_value": _("A daily quota is at most %(limit_value)s bookings."),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        limits = self.limits()
        if not limits:
            raise forms.ValidationError(_("Give at least one daily quota to apply."))
        for group in self.groups:
            # What the group's services would take a day once these are applied: the quotas
            # given, and the others as they are now.
            total = sum(
                limits.get(row.service.code, row.current or 0)
                for row in group.rows
                if row.quota.visits  # a service without a visit takes no place
            )
            given = [row for row in group.rows if row.service.code in limits]
            if given and total > group.capacity.per_day:
                message = _(
                    "The daily quotas of %(group)s add up to %(total)s bookings a day, more than the office "
                    "can receive (at most %(capacity)s visits a day, from its visiting hours and counters). "
                    "Lower them, or add visiting hours or counters first."
                ) % {"group": group.label, "total": total, "capacity": group.capacity.per_day}
                for row in given:
                    self.add_error(field_name(row.service.code), message)
        return cleaned

    def limits(self) -> dict[str, int]:
        """The quotas to apply: service code -> bookings a day (the fields left empty out)."""
        found = {}
        for row in self.rows:
            value = self.cleaned_data.get(field_name(row.service.code))
            if value is not None:
                found[row.service.code] = int(value)
        return found
