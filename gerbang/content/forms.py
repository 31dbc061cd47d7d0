from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ChannelCheckForm(forms.Form):
    value = forms.CharField(
        label=_("Link, phone number or account name"),
        max_length=300,
        help_text=_("For example a link from a message, a WhatsApp number, or an @account."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
