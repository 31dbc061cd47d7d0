"""What notification events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("notifications.preferences_saved", gettext_lazy("Notification choices saved"))
register("notifications.delivery_retried", gettext_lazy("Message delivery tried again"))
register("notifications.push_subscribed", gettext_lazy("Device signed up for push messages"))
register("notifications.person_erased", gettext_lazy("A person's inbox, choices and devices erased"))
register("notifications.messages_expired", gettext_lazy("Messages past their retention period erased"))
register("notifications.push_device_changed", gettext_lazy("A device's push messages chosen"))
register("notifications.push_device_removed", gettext_lazy("Device signed off push messages"))
