"""The consents notifications asks for (``core.consents``): notifications pushed to a browser."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import consents

PUSH_PURPOSE = "notifications.push"


def _stop_push(person: object) -> int:
    from gerbang.notifications.services import push_forget_all

    return push_forget_all(person)


consents.register(
    consents.Purpose(
        key=PUSH_PURPOSE,
        title=_("Notifications on this device"),
        text=_(
            "Send notifications about my applications, bookings and payments to this browser. "
            "The browser's push address and keys are kept until I turn this off or delete my account."
        ),
        version="1",
        on_withdraw=_stop_push,
    )
)
