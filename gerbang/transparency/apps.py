from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "gerbang.transparency"
    label = "transparency"
    verbose_name = _("Public statistics")

    def ready(self) -> None:
        from gerbang.applications.events import CaseMoved
        from gerbang.appointments.events import BookingMade
        from gerbang.core.events import When, subscribe
        from gerbang.feedback.events import ReportChanged
        from gerbang.payments.events import PaymentSettled
        from gerbang.queueing.events import TicketCompleted
        from gerbang.transparency import subscribers

        # A case that moves (a booking made, a visitor served, a bill paid, a complaint that
        # changes) makes its office's day stale, in the change's own transaction (one small
        # insert); the figures are computed again by the task a minute later at most, and the
        # nightly reconciliation puts right whatever no event told.
        subscribe(CaseMoved, subscribers.case_moved, when=When.IN_TRANSACTION)
        subscribe(BookingMade, subscribers.booking_made, when=When.IN_TRANSACTION)
        subscribe(TicketCompleted, subscribers.ticket_completed, when=When.IN_TRANSACTION)
        subscribe(PaymentSettled, subscribers.payment_settled, when=When.IN_TRANSACTION)
        subscribe(ReportChanged, subscribers.report_changed, when=When.IN_TRANSACTION)
