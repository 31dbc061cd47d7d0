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

    def ready(self) -> None:
        from gerbang.analytics.risk import subscribers as risk_subscribers
        from gerbang.applications.events import CaseMoved
        from gerbang.core.events import When, subscribe

        # Risk flags: after the commit, a scan of the submitted case is queued for the worker (a
        # failed scan never undoes a submission, and the applicant never waits for it).
        subscribe(CaseMoved, risk_subscribers.case_moved, when=When.ON_COMMIT)
