"""What the feedback app tells the others: an office answered a question (a consultation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gerbang.core.events import DomainEvent, Message
from gerbang.feedback.models import Consultation, ConsultationMessage


@dataclass(frozen=True, kw_only=True)
class ConsultationAnswered(DomainEvent):
    """``actor`` of the office answered ``consultation`` with ``answer`` (``late``: past the
    day the answer was due). The asker is told, once per answer."""

    consultation: Consultation
    answer: ConsultationMessage
    actor: Any
    late: bool

    def messages(self) -> Sequence[Message]:
        consultation = self.consultation
        return (
            Message(
                recipient=consultation.asker,
                kind="consultation.answered",
                dedup_key=f"consultation:{consultation.pk}:answer:{self.answer.pk}",
                context={"consultation_id": consultation.pk, "message_id": self.answer.pk},
            ),
        )
