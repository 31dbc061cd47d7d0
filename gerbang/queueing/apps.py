from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "gerbang.queueing"
    label = "queueing"
    verbose_name = _("On-site queue")

    def ready(self) -> None:
        from gerbang.appointments import api as appointments_api
        from gerbang.queueing.api import booking_ticket

        # A booking checked in at the office shows its queue ticket in the appointments API.
        appointments_api.read_tickets_with(booking_ticket)
