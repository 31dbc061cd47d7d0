"""What the statistics do when another app changes something: mark the office's day stale (the
figures are computed again within a minute, ``tasks.refresh_statistics``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gerbang.transparency import services

if TYPE_CHECKING:
    from gerbang.applications.events import CaseMoved
    from gerbang.appointments.events import BookingMade
    from gerbang.feedback.events import ReportChanged
    from gerbang.payments.events import PaymentSettled
    from gerbang.queueing.events import TicketCompleted


def case_moved(event: CaseMoved) -> None:
    services.case_day_stale(event.application, event.at, reversed_decision=event.action == "reverse_decision")


def booking_made(event: BookingMade) -> None:
    # The lead time counts on the day the time was held.
    services.office_moments_stale(event.booking.slot.office, event.booking.created_at)


def ticket_completed(event: TicketCompleted) -> None:
    services.office_moments_stale(event.ticket.office, event.ticket.first_called_at)


def payment_settled(event: PaymentSettled) -> None:
    services.office_moments_stale(event.application.office, event.payment.paid_at)


def report_changed(event: ReportChanged) -> None:
    report = event.report
    services.office_moments_stale(report.office, report.created_at, report.closed_at)
