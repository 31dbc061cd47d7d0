"""How the IKM hears that a person was served (``satisfaction.served.served_by``, the reading the
invitation to rate uses, so an answer and its occasion are grouped alike): each occasion counts
once in the population of its office, service and month (``services.served_count``), with or
without an account, invited or not; an anonymous reporter was served too."""

from __future__ import annotations

from gerbang.core.actors import WORKER
from gerbang.core.events import DomainEvent
from gerbang.ikm.services import served_count
from gerbang.satisfaction.served import served_by


def count(event: DomainEvent) -> None:
    served = served_by(event)
    if served is None:
        return
    served_count(
        occasion=served.occasion,
        occasion_id=served.occasion_id,
        office_id=served.office.pk if served.office else None,
        service_id=served.service.pk if served.service else None,
        served_at=served.served_at,
        actor=WORKER,
    )
