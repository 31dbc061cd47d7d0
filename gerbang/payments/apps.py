from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "gerbang.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from gerbang.payments import checks  # noqa: F401 - registers the system checks
