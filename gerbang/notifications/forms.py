"""Forms of the notification pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.core import messages
from gerbang.notifications import selectors
from gerbang.notifications.kinds import offered_channels
from gerbang.notifications.models import PushSubscription


class PreferencesForm(forms.Form):
    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for group in messages.groups().values():
            offered = offered_channels(group.key)
            self.fields[group.key] = forms.MultipleChoiceField(
                label=str(group.label),
                help_text=str(group.help),
                choices=[(c.value, c.label) for c in offered],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=sorted(selectors.chosen_channels(user, group.key)),
            )


class PushDeviceForm(forms.Form):
    """One device's name and the groups of messages it shows."""

    name = forms.CharField(label=_("Device name"), max_length=80, required=False)
    groups = forms.MultipleChoiceField(
        label=_("Show on this device"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: object, device: PushSubscription, **kwargs: object) -> None:
        kwargs.setdefault("prefix", f"device-{device.pk}")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        groups = messages.groups()
        choice = cast(forms.MultipleChoiceField, self.fields["groups"])
        choice.choices = [(key, str(group.label)) for key, group in groups.items()]
        self.fields["name"].initial = device.name
        self.fields["groups"].initial = [key for key in groups if device.takes(key)]
