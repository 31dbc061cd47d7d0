from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gerbang.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from gerbang.core.events import DomainEvent, When, subscribe
        from gerbang.core.pwa import register_worker_part
        from gerbang.notifications.services import event_messages_write

        # The installable app's service worker shows pushed messages.
        register_worker_part("notifications/sw_push.js")

        # Any app's event that owes people messages (``DomainEvent.messages``): they are queued
        # in the outbox in the same transaction, delivered after it commits.
        subscribe(DomainEvent, event_messages_write, when=When.IN_TRANSACTION)
