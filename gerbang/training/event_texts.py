"""What the training office's events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("training.reset", gettext_lazy("Training office reset: its synthetic cases and people made again"))
