from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "gerbang.satisfaction"
    label = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self) -> None:
        from gerbang.core.events import When, subscribe
        from gerbang.satisfaction import subscribers
        from gerbang.satisfaction.served import SERVING_EVENTS

        # After the commit: a served person is asked only about a change that was kept, and a
        # failure here never undoes the case, the visit or the thread that was closed.
        for event in SERVING_EVENTS:
            subscribe(event, subscribers.invite, when=When.ON_COMMIT)
