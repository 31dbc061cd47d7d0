from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "gerbang.satisfaction"
    label = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self) -> None:
        from gerbang.applications.events import CaseMoved
        from gerbang.core.events import When, subscribe
        from gerbang.feedback.events import ConsultationClosed, ReportChanged
        from gerbang.queueing.events import TicketCompleted
        from gerbang.satisfaction import subscribers

        # After the commit: a served person is asked only about a change that was kept, and a
        # failure here never undoes the case, the visit or the thread that was closed.
        subscribe(CaseMoved, subscribers.case_moved, when=When.ON_COMMIT)
        subscribe(TicketCompleted, subscribers.ticket_completed, when=When.ON_COMMIT)
        subscribe(ConsultationClosed, subscribers.consultation_closed, when=When.ON_COMMIT)
        subscribe(ReportChanged, subscribers.report_changed, when=When.ON_COMMIT)
