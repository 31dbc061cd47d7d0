from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.applications.models import Application
from gerbang.catalog.models import Office
from gerbang.feedback.models import (
    ConsultationStatus,
    ConsultationTopic,
    ReportKind,
    ReportPrivacy,
    ReportStatus,
    ReportTopic,
    tier_choices,
)
from gerbang.feedback.report_services import (
    KIND_MISSING,
    PRIVACY_MISSING,
    REPORT_SUBJECT_MISSING,
    REPORT_TOPIC_MISSING,
)
from gerbang.feedback.services import (
    BODY_MAX,
    BODY_MIN,
    BODY_MISSING,
    BODY_TOO_SHORT,
    SUBJECT_MAX,
    SUBJECT_MISSING,
    SUBJECT_TOO_SHORT,
    TOPIC_MISSING,
)

# What to write, not Django's "This field is required.": the same words as the service's check.
BODY_MESSAGES = {"required": BODY_MISSING, "min_length": BODY_TOO_SHORT}


def own_application_field(help_text: Any) -> forms.ModelChoiceField[Application]:
    """A choice of the person's own submitted applications (filled by ``offer_own_applications``)."""
    return forms.ModelChoiceField(
        label=_("About my application"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("Not about one of my applications"),
        help_text=help_text,
    )


def offer_own_applications(field: forms.Field, person: Any) -> None:
    field.queryset = (  # type: ignore[attr-defined]
        Application.objects.filter(applicant=person, number__isnull=False)
        .select_related("service")
        .order_by("-created_at")
    )
    field.label_from_instance = lambda a: f"{a.number} · {a.service.name}"  # type: ignore[attr-defined]


def subject_field(missing: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Subject"),
        min_length=3,
        max_length=SUBJECT_MAX,
        error_messages={"required": missing, "min_length": SUBJECT_TOO_SHORT},
    )


def body_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=help_text,
        error_messages=BODY_MESSAGES,
    )


CHOOSE_FILES_AGAIN = _(
    "Files are not kept when the form is refused: choose them again before sending (JPEG, PNG or PDF, at most five)."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the files themselves are checked by the service)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


def attachments_field() -> MultipleFileField:
    """A message's files: the same limits and words for a question, a report and their replies."""
    return MultipleFileField(
        label=_("Photos or documents"), help_text=_("JPEG, PNG or PDF; at most 5 files.")
    )


class AskForm(forms.Form):
    application = own_application_field(_("The office then sees that application with your question."))
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.public().order_by("name_id"),
        to_field_name="code",
        empty_label=_("Choose an office"),
        error_messages={"required": _("Choose the office to ask, or one of your applications.")},
        help_text=_("For a question about an application, its office answers."),
    )
    topic = forms.ChoiceField(
        label=_("What is it about?"),
        choices=ConsultationTopic.choices,
        error_messages={"required": TOPIC_MISSING, "invalid_choice": TOPIC_MISSING},
    )
    subject = subject_field(SUBJECT_MISSING)
    body = body_field(
        _("Your question"),
        _("Do not write passwords or card numbers. Officers never ask for payment here."),
    )
    attachments = attachments_field()

    def __init__(self, *args: Any, asker: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_own_applications(self.fields["application"], asker)
        if self.data.get("application"):
            self.fields["office"].required = False  # the application's office answers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        application = data.get("application")
        if application is not None:
            data["office"] = application.office
            self.errors.pop("office", None)
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=BODY_MESSAGES,
    )
    # The newest message the writer had on screen (a newer one makes the reply wait for a read).
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def mark_seen(self, latest_message_id: int) -> None:
        """Record the newest message now shown with this form (kept text stays as typed)."""
        if self.is_bound:
            self.data = {**self.data.dict(), "seen": str(latest_message_id)}  # type: ignore[attr-defined]
        else:
            self.initial["seen"] = latest_message_id


class ReplyForm(MessageForm):
    """A reply in a thread (a question's or a report's), with files."""

    attachments = MultipleFileField(label=_("Photos or documents"))


class StaffFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*ConsultationStatus.choices, ("open", _("Open")), ("all", _("All"))],
        initial=ConsultationStatus.WAITING,
        required=False,
    )
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False, empty_label=_("All my offices")
    )

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]


# --- Reports ----------------------------------------------------------------------------------------

NATIONAL = "national"


def _destinations(offices: Any) -> list[tuple[str, Any]]:
    return [
        (NATIONAL, _("National complaints unit (Directorate General)")),
        *((o.code, o.name) for o in offices),
    ]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of report?"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": KIND_MISSING, "invalid_choice": KIND_MISSING},
    )
    topic = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", _("Choose")), *ReportTopic.choices],
        error_messages={"required": REPORT_TOPIC_MISSING, "invalid_choice": REPORT_TOPIC_MISSING},
    )
    office = forms.ChoiceField(
        label=_("Which office is it about?"),
        help_text=_(
            "Choose the national unit when it is about no office in particular. A report about one "
            "of your applications goes to that application's office."
        ),
        error_messages={
            "required": _("Choose an office or the national unit."),
            "invalid_choice": _("Choose an office or the national unit."),
        },
    )
    application = own_application_field(
        _(
            "Its office handles the report and sees the application with it (for a confidential "
            "report, only the national unit sees which application it is: it would name you)."
        )
    )
    subject = subject_field(REPORT_SUBJECT_MISSING)
    body = body_field(
        _("What happened, or what you propose or want to know"),
        _("When and where, and who was involved. Do not write passwords or card numbers."),
    )
    privacy = forms.ChoiceField(
        label=_("Your name"),
        choices=ReportPrivacy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": PRIVACY_MISSING, "invalid_choice": PRIVACY_MISSING},
    )
    about_staff = forms.BooleanField(
        label=_("It is about the conduct of a member of staff (only the national unit sees it)"),
        required=False,
    )
    attachments = attachments_field()

    def __init__(self, *args: Any, reporter: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.public().order_by("name_id")
        self.fields["office"].choices = [("", _("Choose")), *_destinations(offices)]  # type: ignore[attr-defined]
        signed_in = bool(getattr(reporter, "is_authenticated", False))
        if signed_in:
            offer_own_applications(self.fields["application"], reporter)
        else:
            del self.fields["application"]
            self.fields["privacy"].choices = [  # type: ignore[attr-defined]
                (ReportPrivacy.ANONYMOUS, ReportPrivacy.ANONYMOUS.label)
            ]
            self.fields["privacy"].initial = ReportPrivacy.ANONYMOUS
            self.fields["privacy"].help_text = _("Sign in to file under your name or confidentially.")
        if signed_in and self.data.get("application"):
            self.fields["office"].required = False  # the application's office handles it

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        application = data.get("application")
        if application is not None:
            data["office"] = application.office.code
            self.errors.pop("office", None)
        return data

    def destination(self) -> Office | None:
        return office_of(self.cleaned_data.get("office") or "")


class FollowCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=40,
        help_text=_("The code shown when you filed the report, e.g. ABCD-EFGH-JKLM-NPQR."),
        error_messages={"required": _("Enter the follow-up code you were given.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("verify", _("Verified: route it and set its tier")),
            ("postpone", _("Postponed: ask the reporter for more information")),
            ("refer", _("Not our authority: refer elsewhere")),
            ("archive", _("Archive (not a report that can be followed up)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the verification.")},
    )
    tier = forms.ChoiceField(
        label=_("Service-level tier"),
        choices=lambda: [("", _("The kind's default")), *tier_choices()],
        required=False,
    )
    route_to = forms.ChoiceField(label=_("Route to"), required=False)
    note = forms.CharField(
        label=_("Question to the reporter, or the referral"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Postponed: what is missing. Not our authority: which agency to go to, and how."),
    )

    def __init__(self, *args: Any, offices: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route_to"].choices = [("", _("Keep where it is")), *_destinations(offices)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") in ("postpone", "refer") and len((data.get("note") or "").strip()) < BODY_MIN:
            self.add_error(
                "note",
                _("Write what the reporter must add, or where to go instead (at least %(min)d characters).")
                % {"min": BODY_MIN},
            )
        return data


class RouteForm(forms.Form):
    route_to = forms.ChoiceField(
        label=_("Route to"),
        error_messages={
            "required": _("Choose the office or unit to route the report to."),
            "invalid_choice": _("Choose the office or unit to route the report to."),
        },
    )

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route_to"].choices = _destinations(offices)  # type: ignore[attr-defined]


def office_of(code: str) -> Office | None:
    """The office a destination code names; ``None`` for the national unit (or nothing chosen)."""
    if not code or code == NATIONAL:
        return None
    return Office.objects.public().filter(code=code).first()


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Owed by the office")), *ReportStatus.choices, ("all", _("All"))],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ReportKind.choices], required=False
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All topics")), *ReportTopic.choices], required=False
    )
    office = forms.ChoiceField(label=_("Office"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, offices: Any, national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("All my offices"))]
        if national:
            choices.append((NATIONAL, _("National complaints unit")))
        self.fields["office"].choices = [*choices, *((o.code, o.name) for o in offices)]  # type: ignore[attr-defined]


class ExportForm(forms.Form):
    since = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the first day of the period."), "invalid": _("Choose a date.")},
    )
    until = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the last day of the period."), "invalid": _("Choose a date.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period comes before its start."))
        return data
