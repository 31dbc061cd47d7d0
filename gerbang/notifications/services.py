"""Writing notifications: always inside the caller's transaction, never sending from it."""

from __future__ import annotations

from typing import Any

from gerbang.notifications.models import OutboxMessage


def outbox_add(*, recipient: Any, kind: str, dedup_key: str, context: dict[str, Any]) -> OutboxMessage:
    """Queue one message. Adding the same dedup key twice leaves the first one as it was."""
    message, _created = OutboxMessage.objects.get_or_create(
        dedup_key=dedup_key, defaults={"recipient": recipient, "kind": kind, "context": context}
    )
    return message
