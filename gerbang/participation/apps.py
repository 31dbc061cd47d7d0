from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "gerbang.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from gerbang.core.http import public_pages_changed
        from gerbang.participation.models import Survey

        # The home page and the offices' pages (cached for visitors) show the open surveys.
        post_save.connect(public_pages_changed, sender=Survey, dispatch_uid="pages-participation-survey-save")
        post_delete.connect(
            public_pages_changed, sender=Survey, dispatch_uid="pages-participation-survey-delete"
        )
