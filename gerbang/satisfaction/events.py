"""What the satisfaction app tells the others: a served person was invited to rate the service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gerbang.core.events import DomainEvent, Message
from gerbang.satisfaction.models import Invitation

INVITED = "satisfaction.invited"


@dataclass(frozen=True, kw_only=True)
class InvitationOpened(DomainEvent):
    """``invitation`` was made; its person (when they have an account) is asked once."""

    invitation: Invitation

    def messages(self) -> Sequence[Message]:
        invitation = self.invitation
        if invitation.person is None:
            return ()
        return (
            Message(
                recipient=invitation.person,
                kind=INVITED,
                dedup_key=f"satisfaction:invitation:{invitation.pk}",
                context={"invitation_id": invitation.pk},
            ),
        )
