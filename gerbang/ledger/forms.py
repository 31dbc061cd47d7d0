"""The back office's form to register a witness of the ledger."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WitnessForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("The institution, as the public page shows it.")
    )
    verifier_key = forms.CharField(
        label=_("Verifier key"),
        max_length=300,
        help_text=_("The line the witness program's keygen printed: name+id+key."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For administrators: who to contact, the agreement, and so on."),
    )
