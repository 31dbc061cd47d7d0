from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.appointments.models import PriorityReason


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
