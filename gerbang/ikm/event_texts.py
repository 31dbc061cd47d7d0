"""What IKM events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("ikm.answers_unlinked", gettext_lazy("Survey answers unlinked from a person at their request"))
