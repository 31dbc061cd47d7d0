"""The message that an office answered a question (a consultation), registered with
``gerbang.core.messages``; its template is in ``templates/feedback/messages/``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gerbang.core import messages
from gerbang.core.messages import EMAIL_AND_SMS, Group, Kind, StoredMessage
from gerbang.feedback.models import Consultation


def consultation_context(message: StoredMessage) -> dict[str, Any]:
    """The question and the answer the message is about, as stored (encrypted) now."""
    consultation = (
        Consultation.objects.select_related("office")
        .filter(pk=int(message.context.get("consultation_id") or 0))
        .first()
    )
    if consultation is None:
        return {}
    answer = consultation.messages.filter(pk=int(message.context.get("message_id") or 0)).first()
    return {
        "consultation": consultation,
        "answer": answer.body if answer else "",
        "link": f"{settings.SITE_URL}{reverse('feedback:detail', args=[consultation.pk])}",
    }


def consultation_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "consultation": SimpleNamespace(
            reference="KONS-7K3Q-H9TX",
            subject="Paspor anak / A child's passport",
            office=SimpleNamespace(name="Kantor Imigrasi Mesuji"),
        ),
        "answer": "Ya, kedua orang tua hadir saat wawancara. / Yes, both parents come to the interview.",
        "link": f"{settings.SITE_URL}/consultations/1/",
    }


messages.register_group(
    Group(
        "consultation",
        _("Answers to my questions"),
        _("An office answered a question you asked."),
        EMAIL_AND_SMS,
        order=40,
    )
)
messages.register(
    Kind(
        code="consultation.answered",
        group="consultation",
        template="feedback/messages/consultation_answered",
        context=consultation_context,
        sample=consultation_sample,
    )
)
