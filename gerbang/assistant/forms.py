"""The question box (the /bantuan/ page and the chat box on every page) and the content staff's
forms for questions the assistant could not answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.assistant.services import QUESTION_MISSING
from gerbang.content.forms import FaqForm


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        # No maxlength: a browser would cut a long paste silently. The service refuses a
        # question over QUESTION_MAX with its length, and the text stays in the box.
        help_text=_("Passports, visas, stay permits, fees, documents, offices, or your own application."),
        error_messages={"required": QUESTION_MISSING},
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "send"}),
    )


class SynonymForm(forms.Form):
    variant = forms.CharField(
        label=_("As people write it"),
        max_length=80,
        help_text=_("For example: pasport ilang"),
        error_messages={"required": _("Write the word or phrase as people write it.")},
    )
    meaning = forms.CharField(
        label=_("Means, in the knowledge base's words"),
        max_length=80,
        help_text=_("For example: paspor hilang"),
        error_messages={"required": _("Write what it means.")},
    )


class FaqFromQuestionsForm(FaqForm):
    """The content app's FAQ form, prefilled from a group's commonest wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("services", None)
