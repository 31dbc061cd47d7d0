"""The messages of participation, registered with ``gerbang.core.messages``: the responsible
unit answered a proposal (to its author and to whoever supported it), and a unit answered a
debate thread officially (to whoever started the thread). Their templates are in
``templates/participation/messages/``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gerbang.core import messages
from gerbang.core.messages import EMAIL_ONLY, Group, Kind, StoredMessage
from gerbang.participation.models import Post, Proposal, unit_name


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


def official_answer_context(message: StoredMessage) -> dict[str, Any]:
    """The unit's answer and the thread it answers, as they stand now (nothing once a
    moderator removed the answer)."""
    post = (
        Post.objects.select_related("debate__office")
        .filter(pk=int(message.context.get("post_id") or 0), official=True)
        .exclude(status="removed")
        .first()
    )
    if post is None:
        return {}
    link = reverse("participation:debate", args=[post.debate_id])
    return {
        "post": post,
        "debate": post.debate,
        "unit": unit_name(post.debate.office),
        "link": f"{settings.SITE_URL}{link}#post-{post.pk}",
    }


def official_answer_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Budi Santoso"),
        "post": SimpleNamespace(
            body="Kuota sore dibuka mulai bulan depan. / The afternoon quota opens next month."
        ),
        "debate": SimpleNamespace(title="Kuota pagi atau sore? / Morning or afternoon quota?"),
        "unit": "Kantor Imigrasi Mesuji",
        "link": f"{settings.SITE_URL}/partisipasi/diskusi/1/#post-2",
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
messages.register_group(
    Group(
        "participation_debates",
        _("Official answers in debates"),
        _("An office (or the directorate) answered, on its behalf, a thread you started in a debate."),
        # The inbox (always written) unless the person chooses more.
        frozenset(),
        order=81,
    )
)
messages.register(
    Kind(
        code="participation.official_answer",
        group="participation_debates",
        template="participation/messages/official_answer",
        context=official_answer_context,
        sample=official_answer_sample,
    )
)
