"""The domain events of data protection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gerbang.core.events import DomainEvent, Message
from gerbang.privacy.models import Request


@dataclass(frozen=True, kw_only=True)
class RequestAnswered(DomainEvent):
    """The data-protection officer answered a person's request (a correction)."""

    request: Request

    def messages(self) -> Sequence[Message]:
        if not self.request.person.is_active:
            return ()
        return (
            Message(
                recipient=self.request.person,
                kind="privacy.request_answered",
                dedup_key=f"privacy.request_answered:{self.request.pk}",
                context={"request_id": self.request.pk},
            ),
        )
