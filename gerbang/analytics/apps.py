from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Staff-only analytics: risk flags with their reasons for officers, and demand forecasts
    with the daily quotas they suggest. Nothing here decides a case or changes a quota by itself:
    an officer or an office administrator does, and their decision is recorded.

    scikit-learn and statsmodels are imported inside the functions that use them, never at start-up
    (they take seconds to import and most processes never need them)."""

    name = "gerbang.analytics"
    label = "analytics"
    verbose_name = _("Analytics")
