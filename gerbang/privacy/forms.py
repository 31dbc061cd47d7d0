from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.privacy.models import Concerns
from gerbang.privacy.services import MAX_DETAILS

CONCERNS = [("", "—"), *Concerns.choices]


class CorrectionForm(forms.Form):
    concerns = forms.ChoiceField(label=_("What is it about?"), choices=CONCERNS)
    details = forms.CharField(
        label=_("What is wrong, and what should it say?"),
        help_text=_(
            "Name the application, booking or payment (its code) and the field. For example: "
            "“Application MESUJI-2026-7K3QH-9TX2MT: my date of birth is 12/03/1990, not 21/03/1990.”"
        ),
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("done", _("Corrected")), ("refused", _("Not corrected"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the person"),
        help_text=_(
            "What was corrected, or why not (the data is right, or an exception of Pasal 33 UU PDP applies)."
        ),
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
