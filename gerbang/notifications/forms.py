"""Forms of the notification pages."""

from __future__ import annotations

from django import forms

from gerbang.core import messages
from gerbang.notifications import selectors
from gerbang.notifications.kinds import CHOOSABLE_CHANNELS, LEGAL_CHANNELS


class PreferencesForm(forms.Form):
    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kinds = messages.kinds().values()
        for group in messages.groups().values():
            # A group whose every message is legal always goes by the legal channels: those are
            # not offered as a choice that could not be kept.
            always_legal = all(kind.legal for kind in kinds if kind.group == group.key)
            offered = [c for c in CHOOSABLE_CHANNELS if not (always_legal and c in LEGAL_CHANNELS)]
            self.fields[group.key] = forms.MultipleChoiceField(
                label=str(group.label),
                help_text=str(group.help),
                choices=[(c.value, c.label) for c in offered],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=sorted(selectors.chosen_channels(user, group.key)),
            )
