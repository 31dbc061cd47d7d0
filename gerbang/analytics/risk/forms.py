"""The officer's form to record what they found on a risk flag."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.analytics.models import DECISIONS, FlagStatus
from gerbang.analytics.risk.services import REASON_MAX

DECISION_MISSING = _("Choose what you found: no concern, or a concern confirmed and referred.")
REASON_MISSING = _("Say in a few words what you checked and found.")


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("What did you find?"),
        choices=[(status.value, FlagStatus(status).label) for status in DECISIONS],
        widget=forms.RadioSelect,
        error_messages={"required": DECISION_MISSING, "invalid_choice": DECISION_MISSING},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "What you checked and what you found, in a few words. It is kept with the decision in the audit log; the applicant does not see it."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": REASON_MISSING,
            "max_length": _("Keep the reason to %(limit_value)d characters."),
        },
    )

    def __init__(self, *args: Any, flag_id: int, **kwargs: Any) -> None:
        # Each flag's form on the case page has its own field names and ids.
        kwargs["prefix"] = f"flag{flag_id}"
        super().__init__(*args, **kwargs)
        self.flag_id = flag_id
