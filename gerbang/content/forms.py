from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.catalog.selectors import offices_visible_to
from gerbang.content.models import Announcement, Faq


class ChannelCheckForm(forms.Form):
    value = forms.CharField(
        label=_("Link, phone number or account name"),
        max_length=300,
        help_text=_("For example a link from a message, a WhatsApp number, or an @account."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AnnouncementForm(forms.ModelForm):
    """A notice, with the Indonesian and English versions side by side."""

    class Meta:
        model = Announcement
        fields = ["office", "level", "title_id", "title_en", "body_id", "body_en", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "body_id": forms.Textarea(attrs={"rows": 5}),
            "body_en": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "starts_at": _("Time in WIB."),
            "ends_at": _("Leave empty to show it until you end it."),
        }

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_field = cast(forms.ModelChoiceField, self.fields["office"])
        office_field.queryset = offices_visible_to(actor)
        office_field.empty_label = _("All offices (national notice)")
        if not has_permission(actor, Perm.CONTENT_NATIONAL):
            office_field.required = True
            office_field.empty_label = None
        self.fields["title_id"].required = False
        self.fields["body_id"].required = False


class FaqForm(forms.ModelForm):
    class Meta:
        model = Faq
        fields = ["category", "question_id", "question_en", "answer_id", "answer_en", "services"]
        widgets = {
            "answer_id": forms.Textarea(attrs={"rows": 6}),
            "answer_en": forms.Textarea(attrs={"rows": 6}),
            "services": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question_id"].required = False
        self.fields["answer_id"].required = False
