"""Forms of the payments pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.core.forms import DATE_PLACEHOLDER, RupiahField


class CounterPaymentForm(forms.Form):
    """A fee paid at a bank counter, as on the receipt the applicant brings."""

    receipt_number = forms.CharField(
        label=_("Receipt number (or NTPN)"),
        max_length=40,
        error_messages={"required": _("Enter the receipt number.")},
    )
    amount = RupiahField(
        label=_("Amount (rupiah)"),
        min_value=0,
        error_messages={"required": _("Enter the amount on the receipt, in rupiah.")},
    )
    paid_on = forms.DateField(
        label=_("Paid on"),
        help_text=_("DD/MM/YYYY, as on the receipt."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": DATE_PLACEHOLDER}),
        error_messages={
            "required": _("Enter the date of payment shown on the receipt."),
            "invalid": _("Write the date as DD/MM/YYYY, e.g. 17/08/1990."),
        },
    )
