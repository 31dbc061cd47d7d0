"""What the applications app tells the others: a case moved through the workflow.

Published inside the transaction that moves the case (``services.moves._move``). Who reacts, each in
its own ``apps.py``: payments issues and closes bills, appointments ends the bookings of visits
the case no longer needs, notifications writes the applicant's message (``messages`` below).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.applications.workflow import State, Transition
from gerbang.core.actors import SystemActor
from gerbang.core.events import DomainEvent, Message


@dataclass(frozen=True, kw_only=True)
class CaseMoved(DomainEvent):
    """``application`` took ``transition`` from ``previous`` (it is now in the transition's
    target state, its row already saved)."""

    application: Application
    transition: Transition
    previous: State
    actor: User | SystemActor
    at: datetime
    reason_code: str = ""

    @property
    def action(self) -> str:
        return self.transition.action.value

    @property
    def target(self) -> State:
        return self.transition.target

    def messages(self) -> Sequence[Message]:
        if not self.transition.notify_applicant:
            return ()
        application = self.application
        return (
            Message(
                recipient=application.applicant,
                kind=f"application.{self.action}",
                dedup_key=f"application:{application.pk}:v{application.version}:{self.action}",
                context={
                    "application_id": application.pk,
                    "number": application.number,
                    "state": self.target.value,
                    "reason_code": self.reason_code,
                },
            ),
        )
