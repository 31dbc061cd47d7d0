"""What data-protection events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("privacy.request_received", gettext_lazy("Data-protection request received"))
register("privacy.request_answered", gettext_lazy("Data-protection request answered"))
register("privacy.consent_given", gettext_lazy("Consent given"))
register("privacy.consent_withdrawn", gettext_lazy("Consent withdrawn"))
register("privacy.erased", gettext_lazy("Personal data erased at the person's request"))
