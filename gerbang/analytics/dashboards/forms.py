"""What a dashboard shows: which office (of the viewer's) and which period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.analytics.dashboards.periods import PeriodChoice


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=PeriodChoice.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the periods in the list.")},
    )


class OfficeDashboardForm(PeriodForm):
    office = forms.ChoiceField(label=_("Office"), required=False)

    field_order = ["office", "period"]

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(office.code, office.name) for office in offices]  # type: ignore[attr-defined]
