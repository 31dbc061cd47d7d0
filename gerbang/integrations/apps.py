from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "gerbang.integrations"
    label = "integrations"
    verbose_name = _("Partner agencies")

    def ready(self) -> None:
        from gerbang.applications.events import CaseMoved
        from gerbang.core.events import When, subscribe
        from gerbang.integrations import subscribers

        # A paid case whose service needs checks with partner agencies waits for them.
        subscribe(CaseMoved, subscribers.case_moved, when=When.IN_TRANSACTION)
        subscribe(CaseMoved, subscribers.case_moved_committed, when=When.ON_COMMIT)
