from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import Office, ServiceCategory
from gerbang.catalog.selectors import offices_visible_to
from gerbang.content.models import Announcement, Faq, Guide, OfficialChannel, RightsEntry, ScamCampaign
from gerbang.content.services import ANNOUNCEMENT_FIELDS, CAMPAIGN_FIELDS, RIGHTS_FIELDS
from gerbang.core.permissions import Perm, has_permission


class ChannelCheckForm(forms.Form):
    value = forms.CharField(
        label=_("Link, phone number or account name"),
        max_length=300,
        help_text=_("For example a link from a message, a WhatsApp number, or an @account."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AnnouncementForm(forms.ModelForm[Announcement]):
    """A notice, with the Indonesian and English versions side by side."""

    notify_bookings = forms.BooleanField(
        label=_("Also send it to everyone with a coming appointment at this office"),
        help_text=_("Only for an emergency notice of one office; sent when it is published."),
        required=False,
    )

    suspends = forms.MultipleChoiceField(
        label=_("Services this notice stops at the office"),
        choices=ServiceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "While the notice is shown, these services are offered nowhere for this office (no new "
            "applications, no appointments), the notice is shown in their place, and appointments in "
            "that time are moved to the first free time after it (cancelled if the notice has no end), "
            "with everyone told. They come back by themselves when the notice ends."
        ),
    )

    class Meta:
        model = Announcement
        # The fields the service saves and records, in one list.
        fields = list(ANNOUNCEMENT_FIELDS)
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
        office_field = cast("forms.ModelChoiceField[Office]", self.fields["office"])
        office_field.queryset = offices_visible_to(actor)
        office_field.empty_label = _("All offices (national notice)")
        if not has_permission(actor, Perm.CONTENT_NATIONAL):
            office_field.required = True
            office_field.empty_label = None
        self.fields["title_id"].required = False
        self.fields["body_id"].required = False


class FaqForm(forms.ModelForm[Faq]):
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


class GuideForm(forms.ModelForm[Guide]):
    class Meta:
        model = Guide
        fields = ["title_id", "title_en", "summary_id", "summary_en", "services"]
        widgets = {
            "summary_id": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "services": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title_id", "summary_id"):
            self.fields[name].required = False


class StepForm(forms.Form):
    text_id = forms.CharField(
        label=_("Step (Indonesian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text_en = forms.CharField(
        label=_("Step (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    image = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_("JPEG or PNG, at most 5 MB. Leave empty to keep the current picture."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    image_alt_id = forms.CharField(
        label=_("What the picture shows (Indonesian)"), required=False, max_length=200
    )
    image_alt_en = forms.CharField(
        label=_("What the picture shows (English)"), required=False, max_length=200
    )
    existing_image = forms.CharField(required=False, widget=forms.HiddenInput)
    # A tutorial's step keeps its picture of the real page (content.tutorials) when reworded.
    shot = forms.SlugField(required=False, max_length=100, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_changed() and not (data.get("text_id") or data.get("text_en")):
            raise forms.ValidationError(_("Write the step in at least one language."))
        has_picture = data.get("image") or data.get("existing_image") or data.get("shot")
        if has_picture and not (data.get("image_alt_id") or data.get("image_alt_en")):
            self.add_error("image_alt_id", _("Describe the picture for people who cannot see it."))
        return data


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, max_num=30)


class ChannelForm(forms.ModelForm[OfficialChannel]):
    class Meta:
        model = OfficialChannel
        fields = ["kind", "value", "label_id", "label_en"]
        help_texts = {"value": _("As people see it: imigrasi.go.id, @account, 0812 3456 7890, name@domain.")}


class RightsEntryForm(forms.ModelForm[RightsEntry]):
    """A right or duty, with the Indonesian and English versions side by side."""

    class Meta:
        model = RightsEntry
        fields = list(RIGHTS_FIELDS)
        widgets = {
            "body_id": forms.Textarea(attrs={"rows": 5}),
            "body_en": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "order": _("Lower numbers come first within the same group."),
            "basis_id": _(
                'The law it comes from, e.g. "UU No. 25/2009 tentang Pelayanan Publik, Pasal 18". '
                "Cite an article only where you are sure; otherwise name the law."
            ),
        }


class CampaignForm(forms.ModelForm[ScamCampaign]):
    """A scam-awareness campaign, with the Indonesian and English versions side by side."""

    class Meta:
        model = ScamCampaign
        fields = [*CAMPAIGN_FIELDS, "offices"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "message_id": forms.Textarea(attrs={"rows": 3}),
            "message_en": forms.Textarea(attrs={"rows": 3}),
            "signs_id": forms.Textarea(attrs={"rows": 4}),
            "signs_en": forms.Textarea(attrs={"rows": 4}),
            "actions_id": forms.Textarea(attrs={"rows": 4}),
            "actions_en": forms.Textarea(attrs={"rows": 4}),
            "offices": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "signs_id": _("One sign per line."),
            "actions_id": _("One step per line."),
            "starts_at": _("Time in WIB."),
            "ends_at": _("Leave empty to run it until you end it."),
            "offices": _("Leave all unticked for a national campaign, shown on every public page."),
        }

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = cast("forms.ModelMultipleChoiceField[Office]", self.fields["offices"])
        offices.queryset = offices_visible_to(actor)
        if not has_permission(actor, Perm.CONTENT_NATIONAL):
            offices.required = True
            offices.help_text = _("The offices whose public pages show it.")
