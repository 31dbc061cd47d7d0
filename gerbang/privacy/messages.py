"""The message of data protection, registered with ``gerbang.core.messages``: the
data-protection officer answered the person's request. Its templates are in
``templates/privacy/messages/``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse

from gerbang.core import messages
from gerbang.core.messages import EMAIL, INBOX, Kind, StoredMessage
from gerbang.privacy.models import Request


def answered_context(message: StoredMessage) -> dict[str, Any]:
    request = Request.objects.filter(pk=int(message.context.get("request_id") or 0)).first()
    if request is None or request.person_id != message.recipient.pk:
        return {}
    return {"request": request, "link": f"{settings.SITE_URL}{reverse('privacy:home')}#requests"}


def answered_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "request": SimpleNamespace(
            reference="PDP-000012",
            get_kind_display="Correcting my data",
            outcome_label="Corrected",
            answer="Tanggal lahir pada permohonan MESUJI-2026-7K3QH-9TX2MT telah diperbaiki. / The date of birth is corrected.",
        ),
        "link": f"{settings.SITE_URL}/account/data/#requests",
    }


messages.register(
    Kind(
        code="privacy.request_answered",
        group="account",
        template="privacy/messages/request_answered",
        context=answered_context,
        sample=answered_sample,
        legal=True,
        # Always by email and in the inbox, whatever the person chose for other messages: it is
        # the authority's answer to a request the law gives 3 x 24 hours for.
        fixed_channels=frozenset({EMAIL, INBOX}),
    )
)
