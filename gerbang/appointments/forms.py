from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.appointments.models import BookingPolicy, PriorityReason, Weekday
from gerbang.catalog.models import ServiceCategory
from gerbang.core.forms import check_days, optional_days


class HoldForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
    priority_reason = forms.ChoiceField(
        label=_("Priority service"),
        choices=PriorityReason.choices,
        required=False,
        help_text=_("Shown on your ticket; the officer at the entrance may ask for proof."),
    )


class SlotForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BlockForm(forms.Form):
    group = forms.ChoiceField(label=_("Service group"), choices=ServiceCategory.choices)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    starts = forms.TimeField(label=_("From"), widget=TIME)
    ends = forms.TimeField(label=_("Until"), widget=TIME)
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=5, max_value=240, initial=30
    )
    capacity = forms.IntegerField(
        label=_("Places per slot"),
        min_value=1,
        max_value=500,
        help_text=_("How many visitors the open counters and staff can serve in one slot."),
    )
    priority_share = forms.IntegerField(
        label=_("Share kept for priority visitors (%)"), min_value=0, max_value=100, initial=10
    )
    same_day_share = forms.IntegerField(
        label=_("Share released on the day itself (%)"), min_value=0, max_value=100, initial=0
    )


class PolicyForm(forms.ModelForm[BookingPolicy]):
    class Meta:
        model = BookingPolicy
        fields = [
            "release_days_ahead",
            "release_time",
            "hold_minutes",
            "change_cutoff_hours",
            "max_reschedules",
            "checkin_before_minutes",
            "checkin_after_minutes",
            "late_policy",
        ]
        widgets = {"release_time": TIME}


class QuotaForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    daily_limit = forms.IntegerField(
        label=_("Bookings per day"),
        min_value=0,
        required=False,
        help_text=_("Leave empty for no quota (slot places only)."),
    )

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.code, s.name) for s in services]  # type: ignore[attr-defined]


class MissedFilterForm(forms.Form):
    """Which missed appointments to list: an office (or all one's offices) and the days."""

    office = forms.ChoiceField(label=_("Office"), required=False)
    first, last = optional_days(_("From"), _("Until"))

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All my offices")), *((o.code, o.name) for o in offices)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_days(self, "first", "last")
        return data
