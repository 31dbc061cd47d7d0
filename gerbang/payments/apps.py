from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "gerbang.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from gerbang.applications import demo as case_demo
        from gerbang.applications.events import CaseMoved
        from gerbang.core.events import When, subscribe
        from gerbang.payments import (
            checks,  # noqa: F401 - registers the system checks
            services,
            subscribers,
        )

        # A case comes to await payment: its bill; it is cancelled or expires: no bill open.
        subscribe(CaseMoved, subscribers.case_moved, when=When.IN_TRANSACTION)
        # The demo's cases pay their fees at a bank counter, as staff record it.
        case_demo.counter_payments_from(services.payment_record_counter)
