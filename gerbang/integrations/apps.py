from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "gerbang.integrations"
    label = "integrations"
    verbose_name = _("Partner agencies")

    def ready(self) -> None:
        from gerbang.applications.events import CaseMoved
        from gerbang.applications.workflow import register_approval_hold
        from gerbang.core.events import When, subscribe
        from gerbang.integrations import checks, subscribers

        # A paid case whose service needs checks with partner agencies waits for them.
        subscribe(CaseMoved, subscribers.case_moved, when=When.IN_TRANSACTION)
        subscribe(CaseMoved, subscribers.case_moved_committed, when=When.ON_COMMIT)
        # An unresolved watch-list hit holds the approval until the officer's finding.
        register_approval_hold(checks.approval_hold)
