from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "gerbang.transparency"
    label = "transparency"
    verbose_name = _("Public statistics")

    def ready(self) -> None:
        from gerbang.applications.events import CaseMoved
        from gerbang.core.events import When, subscribe
        from gerbang.transparency import subscribers

        # A case that moves makes its office's day stale, in the move's own transaction (one
        # small insert); the figures are computed again by the task a minute later at most.
        subscribe(CaseMoved, subscribers.case_moved, when=When.IN_TRANSACTION)
