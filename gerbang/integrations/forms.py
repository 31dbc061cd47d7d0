"""The officer's forms on a case's checks: a manual verification of a check a partner did not
answer, and the finding on a watch-list hit. Each form of the case page has its own prefix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.integrations.checks import FINDING_REASON_MISSING, MANUAL_REASON_MISSING, REASON_MAX
from gerbang.integrations.models import Resolution

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise


def _reason_field(label: Promise, help_text: Promise, missing: Promise) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": missing,
            "max_length": _("Keep the reason to %(limit_value)d characters."),
        },
    )


class _CheckForm(forms.Form):
    prefix_base = ""

    def __init__(self, *args: Any, check_id: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"{self.prefix_base}{check_id}"
        super().__init__(*args, **kwargs)
        self.check_id = check_id


class ManualVerificationForm(_CheckForm):
    prefix_base = "check"
    reason = _reason_field(
        _("How did you verify it instead?"),
        _(
            "For example: the KTP-el and the family card seen at the counter match the application; "
            "confirmed by telephone with the civil registry office. Kept in the audit log."
        ),
        MANUAL_REASON_MISSING,
    )


class ResolutionForm(_CheckForm):
    prefix_base = "resolve"
    resolution = forms.ChoiceField(
        label=_("Is it the same person?"),
        choices=Resolution.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether it is the same person."),
            "invalid_choice": _("Choose whether it is the same person."),
        },
    )
    reason = _reason_field(
        _("What did you compare?"),
        _(
            "The police keep the listing: ask them for it by its reference. For example: the listing's photo, "
            "birth date and parents' names against the applicant's documents. Kept in the audit log."
        ),
        FINDING_REASON_MISSING,
    )
