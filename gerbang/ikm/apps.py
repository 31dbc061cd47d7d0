from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkmConfig(AppConfig):
    name = "gerbang.ikm"
    label = "ikm"
    verbose_name = _("Satisfaction index (IKM)")

    def ready(self) -> None:
        from gerbang.applications.events import CaseMoved
        from gerbang.core.events import When, subscribe
        from gerbang.feedback.events import ConsultationClosed, ReportChanged
        from gerbang.ikm import subscribers
        from gerbang.queueing.events import TicketCompleted

        # The population of the survey: every occasion served, counted after the commit (a
        # failure here never undoes the service; the hourly computation counts what was missed).
        subscribe(CaseMoved, subscribers.case_moved, when=When.ON_COMMIT)
        subscribe(TicketCompleted, subscribers.ticket_completed, when=When.ON_COMMIT)
        subscribe(ConsultationClosed, subscribers.consultation_closed, when=When.ON_COMMIT)
        subscribe(ReportChanged, subscribers.report_changed, when=When.ON_COMMIT)
