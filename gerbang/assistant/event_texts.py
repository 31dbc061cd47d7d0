"""What assistant events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("assistant.synonym_added", gettext_lazy("Assistant synonym added"))
register("assistant.questions_handled", gettext_lazy("Assistant questions handled"))
register(
    "assistant.conversations_erased",
    gettext_lazy("Questions a person asked the assistant erased at their request"),
)
