"""The face check's forms: the picture taken at the counter, and the officer's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.biometrics.models import Decision, Finger, Source


class FaceCaptureForm(forms.Form):
    # The camera's frame is put here by the page's script; without a camera (or without
    # JavaScript) the officer chooses a picture file or takes one with the device's camera app.
    picture = forms.FileField(
        label=_("Picture of the person at the counter"),
        help_text=_("Face to the front, well lit, nobody else in the picture. JPEG or PNG."),
        error_messages={
            "required": _("Take a picture with the camera, or choose a picture file."),
            "empty": _("The picture file is empty. Take the picture again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "user"}),
    )
    source = forms.ChoiceField(choices=Source.choices, initial=Source.FILE, widget=forms.HiddenInput)


class FaceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Is the person at the counter the applicant?"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your decision.")},
    )
    note = forms.CharField(
        label=_("What you saw"),
        help_text=_("Needed when the identity is not confirmed: why, and what you will do next."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("decision") == Decision.NOT_CONFIRMED and not str(data.get("note") or "").strip():
            self.add_error(
                "note", _("Say what you saw: why the identity is not confirmed, and what you will do next.")
            )
        return data


class FingerprintForm(forms.Form):
    """What the scanner's software shows after a capture: its reference of the record, and the
    quality of each finger it took (a finger not taken stays empty)."""

    system = forms.CharField(
        label=_("Capture system"),
        help_text=_("As your office names it, for example the scanner station's name."),
        max_length=100,
        error_messages={"required": _("Name the capture system.")},
    )
    reference = forms.CharField(
        label=_("Reference of the record"),
        help_text=_("Copy it from the capture software: Gerbang keeps no fingerprint itself."),
        max_length=200,
        error_messages={"required": _("Copy the reference the capture system gave the record.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for value, label in Finger.choices:
            self.fields[f"finger_{value}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=100,
                error_messages={
                    "invalid": _("A quality is a whole number from 0 to 100."),
                    "min_value": _("A quality is a whole number from 0 to 100."),
                    "max_value": _("A quality is a whole number from 0 to 100."),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def fingers(self) -> dict[str, int]:
        return {
            value: self.cleaned_data[f"finger_{value}"]
            for value in Finger.values
            if self.cleaned_data.get(f"finger_{value}") is not None
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.errors and not self.fingers():
            self.add_error(None, _("Give the quality of at least one finger captured."))
        return data
