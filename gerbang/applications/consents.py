"""The consent a walk-in person gives before an officer enters an application for them
(``core.consents``): signed on the screen or on the printed form, recorded with the officer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import consents

ASSISTED_PURPOSE = "applications.assisted"
ASSISTED_VERSION = "1"

ASSISTED_TEXT = _(
    "I ask the immigration officer named on this form to enter my application in Gerbang on my "
    "behalf, with the personal data and documents I give them. My mobile number is used to send "
    "me messages about the application and a code with which I can take it over online. The "
    "officer's every step is recorded with their name."
)

consents.register(
    consents.Purpose(
        key=ASSISTED_PURPOSE,
        title=_("An officer enters my application for me"),
        text=ASSISTED_TEXT,
        version=ASSISTED_VERSION,
        on_withdraw=None,
        not_withdrawable=_(
            "The consent covers entering the application, which is done. To stop the application, "
            "cancel it; to stop an officer acting for you, take it over online."
        ),
    )
)
