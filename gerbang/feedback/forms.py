from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.applications.models import Application
from gerbang.catalog.models import Office
from gerbang.feedback.models import ConsultationStatus, ConsultationTopic
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


class AskForm(forms.Form):
    application = forms.ModelChoiceField(
        label=_("About my application"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("Not about one of my applications"),
        help_text=_("The office then sees that application with your question."),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.filter(is_active=True).order_by("name_id"),
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
    subject = forms.CharField(
        label=_("Subject"),
        min_length=3,
        max_length=SUBJECT_MAX,
        error_messages={"required": SUBJECT_MISSING, "min_length": SUBJECT_TOO_SHORT},
    )
    body = forms.CharField(
        label=_("Your question"),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Do not write passwords or card numbers. Officers never ask for payment here."),
        error_messages=BODY_MESSAGES,
    )

    def __init__(self, *args: Any, asker: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = (  # type: ignore[attr-defined]
            Application.objects.filter(applicant=asker, number__isnull=False)
            .select_related("service")
            .order_by("-created_at")
        )
        self.fields["application"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.number} · {a.service.name}"
        )
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
