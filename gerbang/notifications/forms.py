"""Forms of the notification pages."""

from __future__ import annotations

from django import forms

from gerbang.notifications import services
from gerbang.notifications.kinds import CHOOSABLE_CHANNELS, GROUPS


class PreferencesForm(forms.Form):
    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        offered = list(CHOOSABLE_CHANNELS)
        for group in GROUPS.values():
            self.fields[group.key] = forms.MultipleChoiceField(
                label=str(group.label),
                help_text=str(group.help),
                choices=[(c.value, c.label) for c in offered],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=sorted(services.chosen_channels(user, group.key)),
            )
