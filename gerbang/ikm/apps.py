from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkmConfig(AppConfig):
    name = "gerbang.ikm"
    label = "ikm"
    verbose_name = _("Satisfaction index (IKM)")

    def ready(self) -> None:
        from gerbang.core.events import When, subscribe
        from gerbang.ikm import subscribers
        from gerbang.satisfaction.served import SERVING_EVENTS

        # The population of the survey: every occasion served, counted after the commit (a
        # failure here never undoes the service; the hourly computation counts what was missed).
        for event in SERVING_EVENTS:
            subscribe(event, subscribers.count, when=When.ON_COMMIT)
