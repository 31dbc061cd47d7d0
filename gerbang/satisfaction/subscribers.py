"""How the satisfaction app hears that a person was served (``served.served_by``): it invites
them to rate it. A visitor without an account is invited on the ticket's page; an anonymous
reporter has no account to be asked through (the code's follow page offers nothing to rate)."""

from __future__ import annotations

from gerbang.core.actors import WORKER
from gerbang.core.events import DomainEvent
from gerbang.satisfaction.models import Occasion
from gerbang.satisfaction.served import served_by
from gerbang.satisfaction.services import invitation_open


def invite(event: DomainEvent) -> None:
    served = served_by(event)
    if served is None or (served.occasion == Occasion.REPORT and served.person is None):
        return
    invitation_open(
        occasion=served.occasion,
        occasion_id=served.occasion_id,
        person=served.person,
        office=served.office,
        service=served.service,
        served_at=served.served_at,
        actor=WORKER,
    )
