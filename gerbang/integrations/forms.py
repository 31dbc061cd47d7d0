"""The officer's form to record a manual verification of a check a partner did not answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.integrations.checks import REASON_MAX
from gerbang.integrations.models import Resolution


class ManualVerificationForm(forms.Form):
    reason = forms.CharField(
        label=_("How did you verify it instead?"),
        help_text=_(
            "For example: the KTP-el and the family card seen at the counter match the application; "
            "confirmed by telephone with the civil registry office. Kept in the audit log."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say how you verified it instead, in a few words."),
            "max_length": _("Keep the reason to %(limit_value)d characters."),
        },
    )

    def __init__(self, *args: Any, check_id: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"check{check_id}"
        super().__init__(*args, **kwargs)
        self.check_id = check_id


class ResolutionForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Is it the same person?"),
        choices=Resolution.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether it is the same person."),
            "invalid_choice": _("Choose whether it is the same person."),
        },
    )
    reason = forms.CharField(
        label=_("What did you compare?"),
        help_text=_(
            "The police keep the listing: ask them for it by its reference. For example: the listing's photo, "
            "birth date and parents' names against the applicant's documents. Kept in the audit log."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say what you compared, in a few words."),
            "max_length": _("Keep the reason to %(limit_value)d characters."),
        },
    )

    def __init__(self, *args: Any, check_id: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"resolve{check_id}"
        super().__init__(*args, **kwargs)
        self.check_id = check_id
