"""The message inviting a person served to rate the service, registered with
``gerbang.core.messages``; its templates are in ``templates/satisfaction/messages/``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gerbang.core import messages
from gerbang.core.messages import EMAIL_AND_SMS, Group, Kind, StoredMessage
from gerbang.satisfaction.events import INVITED
from gerbang.satisfaction.models import Invitation


def invitation_context(message: StoredMessage) -> dict[str, Any]:
    invitation = (
        Invitation.objects.select_related("office", "service")
        .filter(pk=int(message.context.get("invitation_id") or 0))
        .first()
    )
    if invitation is None:
        return {}
    return {
        "invitation": invitation,
        "link": f"{settings.SITE_URL}{reverse('satisfaction:rate', args=[invitation.token])}",
    }


def invitation_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "invitation": SimpleNamespace(
            occasion_label="Application completed",
            office=SimpleNamespace(name="Kantor Imigrasi Mesuji"),
            service=SimpleNamespace(name="Paspor biasa"),
        ),
        "link": f"{settings.SITE_URL}/penilaian/contoh/",
    }


messages.register_group(
    Group(
        "satisfaction",
        _("Rating a service I received"),
        _("After you were served, an invitation to rate the service and suggest improvements."),
        EMAIL_AND_SMS,
        order=42,
    )
)
messages.register(
    Kind(
        code=INVITED,
        group="satisfaction",
        template="satisfaction/messages/invited",
        context=invitation_context,
        sample=invitation_sample,
    )
)
