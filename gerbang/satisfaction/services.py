"""Writes of the satisfaction app: invitations (made by the system when a person was served)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from gerbang.catalog.models import Office, Service
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import PermissionDenied
from gerbang.satisfaction.events import InvitationOpened
from gerbang.satisfaction.models import Invitation, Occasion


def invitation_open(
    *,
    occasion: Occasion,
    occasion_id: int,
    person: Any,
    office: Office | None,
    service: Service | None,
    served_at: datetime,
    actor: SystemActor,
) -> Invitation:
    """Invite the person served on ``occasion`` to rate it: once per occasion (a repeat, or a
    race with another worker, returns the invitation already made and tells nobody again)."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied()
    existing = Invitation.objects.filter(occasion=occasion, occasion_id=occasion_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                token=secrets.token_urlsafe(16),
                occasion=occasion,
                occasion_id=occasion_id,
                person=person if getattr(person, "is_authenticated", False) else None,
                office=office,
                service=service,
                served_at=served_at,
            )
            events.record(
                "satisfaction.invited",
                actor=actor,
                subject=invitation,
                office_id=office.pk if office else None,
                details={"occasion": str(occasion), "occasion_id": occasion_id},
            )
            events.publish(InvitationOpened(invitation=invitation))
    except IntegrityError:
        return Invitation.objects.get(occasion=occasion, occasion_id=occasion_id)
    return invitation
