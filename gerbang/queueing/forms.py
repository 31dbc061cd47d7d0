"""Forms of the kiosk, the counters and the queue settings: they only parse; the rules are in
``services``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.appointments.models import PriorityReason, Purpose
from gerbang.catalog.models import ServiceCategory
from gerbang.queueing.models import Counter, Lane

PRIORITY_CHOICES = [("", _("No priority")), *[c for c in PriorityReason.choices if c[0]]]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code or QR code"),
        help_text=_(
            "Hold the QR code of your booking under the scanner, or type the code (like 7K3Q-H9TX-M)."
        ),
        max_length=400,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
        error_messages={"required": _("Scan the QR code of your booking or type its code.")},
    )
    priority_reason = forms.ChoiceField(
        label=_("Do you need priority service?"),
        help_text=_("An officer may ask to see why."),
        choices=PRIORITY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )


def _lane_choices(lanes: list[Lane]) -> list[tuple[str, str]]:
    return [(str(lane.pk), f"{lane.letter} · {lane.name}") for lane in lanes]


class WalkInForm(forms.Form):
    lane = forms.ChoiceField(label=_("Lane"))
    priority_reason = forms.ChoiceField(label=_("Priority"), choices=PRIORITY_CHOICES, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    after_hours = forms.BooleanField(
        label=_("The office is closed, but the visitor was let in (came in before closing): issue anyway"),
        required=False,
    )

    def __init__(self, *args: Any, lanes: list[Lane], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lane_by_key = {str(lane.pk): lane for lane in lanes}
        cast(forms.ChoiceField, self.fields["lane"]).choices = _lane_choices(lanes)

    def clean_lane(self) -> Lane:
        return self.lane_by_key[self.cleaned_data["lane"]]


class TransferForm(forms.Form):
    target = forms.ChoiceField(label=_("Send the visitor to"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, lanes: list[Lane], counters: list[Counter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets: dict[str, tuple[Lane | None, Counter | None]] = {}
        choices = []
        for lane in lanes:
            key = f"lane-{lane.pk}"
            self.targets[key] = (lane, None)
            choices.append((key, str(_("Lane %(lane)s") % {"lane": f"{lane.letter} · {lane.name}"})))
        for counter in counters:
            key = f"counter-{counter.pk}"
            self.targets[key] = (None, counter)
            choices.append((key, str(counter)))
        cast(forms.ChoiceField, self.fields["target"]).choices = choices

    def clean_target(self) -> tuple[Lane | None, Counter | None]:
        return self.targets[self.cleaned_data["target"]]


class ParkForm(forms.Form):
    note = forms.CharField(
        label=_("Why (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: fetching a photocopy of the KTP-el."),
    )


class LaneForm(forms.Form):
    letter = forms.CharField(label=_("Letter"), max_length=1, help_text=_("One capital letter, A to Z."))
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    group = forms.ChoiceField(
        label=_("Service group"), choices=[("", _("Every group")), *ServiceCategory.choices], required=False
    )
    purpose = forms.ChoiceField(
        label=_("Visit"), choices=[("", _("Every visit")), *Purpose.choices], required=False
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class CounterForm(forms.Form):
    number = forms.IntegerField(label=_("Counter number"), min_value=1, max_value=999)
    lanes = forms.MultipleChoiceField(label=_("Lanes served"), widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, lanes: list[Lane], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lane_by_key = {str(lane.pk): lane for lane in lanes}
        cast(forms.MultipleChoiceField, self.fields["lanes"]).choices = _lane_choices(lanes)

    def clean_lanes(self) -> list[Lane]:
        return [self.lane_by_key[key] for key in self.cleaned_data["lanes"]]


class QueueRulesForm(forms.Form):
    priority_every = forms.IntegerField(
        label=_("Priority visitors are called at every … call"),
        min_value=1,
        max_value=20,
        help_text=_("1: priority visitors always first. 3: every third call goes to a priority visitor."),
    )
    wait_target_minutes = forms.IntegerField(
        label=_("Service level: longest wait (minutes)"), min_value=1, max_value=480
    )
    default_service_minutes = forms.IntegerField(
        label=_("Minutes per visitor, until the office has its own figures"), min_value=1, max_value=120
    )


class KioskForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this kiosk"),
        max_length=100,
        help_text=_("Where it stands, for example: Entrance hall."),
    )
