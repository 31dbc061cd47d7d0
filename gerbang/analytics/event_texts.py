"""What the analytics' events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

# Demand forecasts (analytics/forecast/).
register("forecast.computed", gettext_lazy("Demand forecasts of the office computed again"))
register("forecast.quotas_applied", gettext_lazy("Daily quotas suggested by the forecast applied"))
