"""The account messages (address verification, already registered, staff invitation, password
reset, failed sign-ins), registered with ``gerbang.core.messages``: by email only, whatever the
person chose; their words are in ``templates/accounts/email/``, their facts and links made when
they are rendered (``accounts.notifications.message_context``)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.utils import timezone

from gerbang.accounts.notifications import message_context
from gerbang.core import messages
from gerbang.core.messages import EMAIL_ONLY, Kind

# Kind → template, in templates/accounts/email/.
TEMPLATES = {
    "verify_email": "verify",
    "already_registered": "already_registered",
    "staff_invitation": "staff_invitation",
    "password_reset": "password_reset",
    "failed_sign_ins": "failed_sign_ins",
    "two_factor_reset": "two_factor_reset",
}


def account_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "link": f"{settings.SITE_URL}/account/verify/SAMPLE/",
        "sign_in": f"{settings.SITE_URL}/account/login/",
        "reset": f"{settings.SITE_URL}/account/password/reset/",
        "failures": 5,
        "attempts": [(timezone.now() - timedelta(minutes=n), "198.51.100.23") for n in range(5, 0, -1)],
        "unlock": f"{settings.SITE_URL}/account/login/unlock/SAMPLE/",
        "unlock_minutes": 60,
        "security": f"{settings.SITE_URL}/account/security/",
    }


messages.register(
    *(
        Kind(
            code=f"account.{name}",
            group="account",
            template=f"accounts/email/{template}",
            context=message_context,
            sample=account_sample,
            fixed_channels=EMAIL_ONLY,
            secret_links=True,
        )
        for name, template in TEMPLATES.items()
    )
)
