"""The face check's forms: the picture taken at the counter, and the officer's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.biometrics.models import Decision, Source


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
