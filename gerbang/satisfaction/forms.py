from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import Office, Service
from gerbang.satisfaction.models import RejectReason, SuggestionStatus
from gerbang.satisfaction.services import (
    REPLY_MAX,
    REVIEW_MAX,
    REVIEW_TOO_LONG,
    STARS_MISSING,
    SUGGESTION_MAX,
    SUGGESTION_TOO_LONG,
)

# Translators: shown after the label "What we changed", in parentheses; "Done" is the status.
NOTE_NEED = _("required when the status is Done")
NOTE_HELP = _(
    "When a suggestion is done, say in at least 10 characters what changed: it is shown publicly "
    "in the list of what we changed. Other statuses need no note."
)

STAR_CHOICES = [
    (5, _("5 stars: very good")),
    (4, _("4 stars: good")),
    (3, _("3 stars: fair")),
    (2, _("2 stars: poor")),
    (1, _("1 star: very poor")),
]


def star_radios() -> forms.RadioSelect:
    """Radio buttons labelled with their words, the stars drawn beside them for the eye only
    (a screen reader reads "4 stars: good" once). Works without JavaScript; still a radio
    select to the form templates (a fieldset with its legend)."""
    widget = forms.RadioSelect()
    widget.option_template_name = "satisfaction/widgets/star_option.html"
    return widget


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How was the service?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=star_radios(),
        error_messages={"required": STARS_MISSING, "invalid_choice": STARS_MISSING},
    )
    review = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=REVIEW_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown publicly once a moderator has read it. Do not write your name, phone number, "
            "NIK or passport number."
        ),
        error_messages={"max_length": REVIEW_TOO_LONG},
    )
    suggestion = forms.CharField(
        label=_("What would make this service better?"),
        required=False,
        max_length=SUGGESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the office's staff read it; what changes because of it is told publicly."),
        error_messages={"max_length": SUGGESTION_TOO_LONG},
    )


class SuggestionForm(forms.Form):
    office = forms.ModelChoiceField(
        # Translators: a suggestion for improving the service, not a complaint or a report.
        label=_("Which office is your suggestion about?"),
        queryset=Office.objects.public().order_by("name_id"),
        required=False,
        empty_label=_("Not one office: Gerbang in general"),
        to_field_name="code",
    )
    service = forms.ModelChoiceField(
        label=_("Which service is it about?"),
        queryset=Service.objects.filter(is_active=True).order_by("order", "code"),
        required=False,
        empty_label=_("No particular service"),
        to_field_name="code",
    )
    suggestion = forms.CharField(
        label=_("What would make our service better?"),
        max_length=SUGGESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your suggestion."), "max_length": SUGGESTION_TOO_LONG},
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it not published?"),
        choices=RejectReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the review is not published.")},
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("The office's public reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the review, with the office's name. One reply per review."),
        error_messages={"required": _("Write the reply.")},
    )


class DecideForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SuggestionStatus.choices)
    note = forms.CharField(
        label=_("What we changed"),
        required=False,
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NOTE_HELP,
    )

    def __init__(self, data: Any = None, *, prefix_id: int, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, prefix=f"s{prefix_id}", initial=initial)
        # Shown instead of "(optional)": the service requires it for "Done" only.
        self.fields["note"].need = NOTE_NEED  # type: ignore[attr-defined]
