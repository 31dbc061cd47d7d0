from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "gerbang.appointments"
    label = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from gerbang.applications import selectors as case_selectors
        from gerbang.applications.events import CaseMoved
        from gerbang.appointments import selectors, subscribers
        from gerbang.content.events import NoticePublished, NoticeWithdrawn
        from gerbang.core.events import When, subscribe

        # A case moves: bookings for a visit it no longer needs end (done, or cancelled).
        subscribe(CaseMoved, subscribers.case_moved, when=When.IN_TRANSACTION)
        # In the notice's transaction: the services stop (and bookings move) with the notice, or not at all.
        subscribe(NoticePublished, subscribers.notice_published, when=When.IN_TRANSACTION)
        subscribe(NoticeWithdrawn, subscribers.notice_withdrawn, when=When.IN_TRANSACTION)
        # A case waiting for a visit: what its applicant must do now (book, come, follow the ticket).
        case_selectors.visit_steps_from(selectors.visit_step)
