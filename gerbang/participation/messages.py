"""The message that the responsible unit answered a proposal, to its author and to whoever
supported it, registered with ``gerbang.core.messages``; its templates are in
``templates/participation/messages/``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gerbang.core import messages
from gerbang.core.messages import EMAIL_ONLY, Group, Kind, StoredMessage
from gerbang.participation.models import Proposal


def proposal_context(message: StoredMessage) -> dict[str, Any]:
    """The proposal and its answer as they stand now."""
    proposal = (
        Proposal.objects.select_related("office")
        .filter(pk=int(message.context.get("proposal_id") or 0))
        .first()
    )
    if proposal is None:
        return {}
    return {
        "proposal": proposal,
        "unit": proposal.office.name if proposal.office else _("The Directorate General of Immigration"),
        "own": proposal.author_id == message.recipient.pk,
        "link": f"{settings.SITE_URL}{reverse('participation:proposal', args=[proposal.pk])}",
    }


def proposal_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "proposal": SimpleNamespace(
            title="Layanan paspor pada hari Sabtu / Passport service on Saturdays",
            status_label=_("Accepted"),
            answer="Kami membuka layanan dua Sabtu sebulan. / We open on two Saturdays a month.",
        ),
        "unit": "Kantor Imigrasi Mesuji",
        "own": True,
        "link": f"{settings.SITE_URL}/partisipasi/usulan/1/",
    }


messages.register_group(
    Group(
        "participation",
        _("Proposals I made or supported"),
        _("The responsible unit answered a proposal you made or supported."),
        EMAIL_ONLY,
        order=80,
    )
)
messages.register(
    Kind(
        code="participation.proposal_answered",
        group="participation",
        template="participation/messages/proposal_answered",
        context=proposal_context,
        sample=proposal_sample,
    )
)
