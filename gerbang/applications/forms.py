"""Forms of the application pages. The step form is built from the form spec; its checking is
done by ``answers.check_answers`` (through the service), so Django only renders and parses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from gerbang.applications.formspec import Field, Step
from gerbang.applications.workflow import (
    REASON_CODE_MISSING,
    REASON_MISSING,
    RejectionReason,
    Transition,
)
from gerbang.catalog.models import Office, Service
from gerbang.core.forms import DATE_PLACEHOLDER, check_days, optional_days


def _widget(spec_field: Field) -> forms.Field:
    attrs: dict[str, Any]
    common: dict[str, Any] = {"label": spec_field.label, "help_text": spec_field.help, "required": False}
    kind = spec_field.kind
    if kind == "choice":
        return forms.ChoiceField(choices=list(spec_field.choices), widget=forms.RadioSelect, **common)
    if kind == "country":
        return forms.ChoiceField(choices=[("", "—"), *countries], **common)
    if kind in {"textarea", "mrz"}:
        attrs = {"rows": 3}
        if kind == "mrz":
            attrs.update({"class": "mono", "spellcheck": "false", "autocapitalize": "characters", "cols": 46})
        return forms.CharField(widget=forms.Textarea(attrs=attrs), **common)
    attrs = {}
    if kind in {"date_past", "date_future"}:
        attrs = {
            "inputmode": "numeric",
            "placeholder": DATE_PLACEHOLDER,
            "autocomplete": "bday" if kind == "date_past" else "off",
        }
    elif kind in {"nik", "family_card"}:
        # Room for a number pasted with spaces or one digit too many: the check says what is wrong.
        attrs = {"inputmode": "numeric", "autocomplete": "off", "maxlength": "30"}
    elif kind == "phone":
        attrs = {"inputmode": "tel", "autocomplete": "tel"}
    elif kind == "postal_code":
        attrs = {"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": "5"}
    elif kind == "name" and spec_field.name == "full_name":
        attrs = {"autocomplete": "name"}
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


class StepForm(forms.Form):
    """One step of an application form, bound to the saved answers (valid or not)."""

    def __init__(self, step: Step, answers: dict[str, Any], errors: dict[str, str], **kwargs: Any) -> None:
        super().__init__(
            data={f.name: answers.get(f.name, "") for f in step.fields},
            use_required_attribute=False,
            **kwargs,
        )
        self.step = step
        for spec_field in step.fields:
            field = _widget(spec_field)
            if spec_field.required:
                field.widget.attrs["aria-required"] = "true"
            field.widget.attrs["data-field"] = spec_field.name
            if spec_field.show_if:
                field.widget.attrs["data-show-if"] = (
                    f"{spec_field.show_if[0]}={','.join(spec_field.show_if[1])}"
                )
            field.required = spec_field.required
            self.fields[spec_field.name] = field
        # The checking was done by the service (``answers.check_answers``); only its messages
        # are shown, so Django's own cleaning is skipped.
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, message in errors.items():
            if name in self.fields:
                self.add_error(name, message)


class StartForm(forms.Form):
    office = forms.ModelChoiceField(
        queryset=Office.objects.none(),
        label=_("Office"),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the office where you will apply.")},
    )
    for_child = forms.TypedChoiceField(
        label=_("Who is the application for?"),
        choices=[("0", _("For me")), ("1", _("For my child (under 17)"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
        error_messages={"required": _("Say whether the application is for you or for your child.")},
    )

    def __init__(self, *args: Any, offices: Any, child_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_field = self.fields["office"]
        if isinstance(office_field, forms.ModelChoiceField):
            office_field.queryset = offices
        if child_only:
            del self.fields["for_child"]


class UploadForm(forms.Form):
    # An empty file is judged by the upload check, which says what to do about it.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose the file to upload (PDF, JPEG or PNG).")},
    )


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I declare that the data and documents in this application are true and complete, and I know that false statements are punishable under the Immigration Law."
        ),
        error_messages={
            "required": _("Confirm the declaration that the data and documents are true and complete.")
        },
    )


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Application number"),
        max_length=40,
        help_text=_("As on your confirmation, e.g. MESUJI-2026-7K3QH-9TX2MT."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the application number from your confirmation.")},
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth of the applicant"),
        help_text=_("DD/MM/YYYY."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": DATE_PLACEHOLDER}),
        error_messages={
            "required": _("Enter the applicant's date of birth, e.g. 17/08/1990."),
            "invalid": _("Write the date as DD/MM/YYYY, e.g. 17/08/1990."),
        },
    )


# --- Back office ------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    """The reason an officer gives with a transition. Which parts are asked for and which are
    required comes from the workflow table (``needs_reason_code``, ``needs_reason``), the same
    flags the service checks, so the form never calls "optional" what the service demands."""

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        # Ids of their own: several decisions may be on one page.
        kwargs.setdefault("auto_id", f"id_{transition.action}_%s")
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.needs_reason_code:
            self.fields["reason_code"] = forms.ChoiceField(
                label=_("Reason"),
                choices=[("", "—"), *RejectionReason.choices],
                error_messages={"required": REASON_CODE_MISSING, "invalid_choice": REASON_CODE_MISSING},
            )
        self.fields["reason"] = forms.CharField(
            label=_("Explanation for the applicant"),
            help_text=_("The applicant reads it on the application's timeline and in the message."),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=transition.needs_reason,
            max_length=2000,
            error_messages={"required": REASON_MISSING},
        )


class DecidedFilterForm(forms.Form):
    """The work queue's filters by decision: the period it was taken in (the office's days), who
    took it, and whether it came after the due date (what the supervisors' dashboards count)."""

    decided_from, decided_to = optional_days(_("Decided from"), _("Decided until"))
    decided_by = forms.TypedChoiceField(
        label=_("Decided by"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the staff in the list.")},
    )
    late = forms.BooleanField(label=_("Decided after the due date"), required=False)

    def __init__(self, *args: Any, deciders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].choices = [("", _("Anyone")), *deciders]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_days(self, "decided_from", "decided_to")
        return data


# --- Assisted applications ---------------------------------------------------------------------


class AssistedStartForm(forms.Form):
    """What an officer records before entering an application for a walk-in person: the
    person's consent (the signature drawn on the pad, or the scan of the signed printed form),
    who they are and how to reach them, and what they apply for where."""

    consent_method = forms.ChoiceField(
        label=_("How did the person give consent?"),
        choices=[
            ("signature", _("Signature on the screen")),
            ("scan", _("Signed printed form, scanned or photographed")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the person gave consent.")},
    )
    # Filled by the signature pad (a PNG data URL); without JavaScript the pad is not shown.
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    consent_scan = forms.FileField(
        label=_("Scan or photo of the signed consent form"),
        required=False,
        allow_empty_file=True,
        help_text=_("PDF, JPEG or PNG. The office scanner or this device's camera."),
    )
    full_name = forms.CharField(
        label=_("Full name of the person"),
        max_length=150,
        error_messages={"required": _("Enter the person's full name.")},
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("Messages and the take-over code come to it by SMS, e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter the person's mobile number: their messages and take-over code come by SMS.")
        },
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Leave it empty if the person has none."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("Write the email address like nama@contoh.id, or leave it empty.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the person's messages"),
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        initial="id",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the language the person reads their messages in.")},
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label=_("Service"),
        empty_label="—",
        error_messages={"required": _("Choose the service the person applies for.")},
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.none(),
        label=_("Office"),
        empty_label=None,
        error_messages={"required": _("Choose the office that takes the application.")},
    )

    def __init__(self, *args: Any, offices: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["consent_scan"].widget.attrs.update(
            {"accept": "application/pdf,image/jpeg,image/png", "capture": "environment"}
        )


class AssistedSubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "The person confirmed to me that the data and documents in this application are true and complete, and knows that false statements are punishable under the Immigration Law."
        ),
        error_messages={
            "required": _("Confirm that the person declared the data and documents true and complete.")
        },
    )


class TakeOverForm(forms.Form):
    number = forms.CharField(
        label=_("Application number"),
        max_length=40,
        help_text=_("As on your printed summary, e.g. MESUJI-2026-7K3QH-9TX2MT."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the application number from your printed summary.")},
    )
    code = forms.CharField(
        label=_("Take-over code"),
        max_length=20,
        help_text=_("Eight letters and digits, from the summary or the SMS, e.g. 7K3Q-H9TX."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the take-over code from your printed summary or SMS.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("You sign in with it from now on; we send a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address: you sign in with it from now on."),
            "invalid": _("Write the email address like nama@contoh.id."),
        },
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=_("At least 8 characters; a few words you remember are best."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Choose a password.")},
    )

    def clean(self) -> dict[str, Any]:
        """The password's problems are said with the others (a wrong number or address), in the
        same round, not after they are fixed: the password is typed again each round."""
        data = super().clean() or {}
        password = data.get("password")
        if password and "password" not in self.errors:
            from gerbang.accounts.services import registration_password_problem

            problem = registration_password_problem(
                password=password, email=data.get("email") or "", full_name=""
            )
            if problem:
                self.add_error("password", problem)
        return data
