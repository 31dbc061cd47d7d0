from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "gerbang.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from gerbang.content.selectors import register_person_offices

        # Scam-awareness campaigns of the offices a person applied to show on their dashboard.
        register_person_offices(_offices_applied_to)


def _offices_applied_to(user: Any) -> list[int]:
    from gerbang.applications.models import Application

    return list(Application.objects.filter(applicant=user).values_list("office_id", flat=True).distinct())
