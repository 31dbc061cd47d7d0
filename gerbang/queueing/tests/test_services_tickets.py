"""Tickets for walk-in visitors."""

from __future__ import annotations

import datetime as dt

import pytest

from gerbang.applications.tests import factories as f
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.queueing import services
from gerbang.queueing.models import Ticket
from gerbang.queueing.tests.factories import Floor, at


def test_only_staff_of_the_office_issue_walk_ins(world: f.World, office_floor: Floor) -> None:
    from gerbang.accounts.models import Role
    from gerbang.accounts.tests.factories import staff

    outsider = staff(Role.OFFICER, [world.other_office])
    with pytest.raises(PermissionDenied):
        services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=outsider)


def test_no_walk_in_ticket_while_the_office_is_closed_unless_confirmed(
    world: f.World, office_floor: Floor
) -> None:
    from gerbang.catalog.services import opening_hours_set

    opening_hours_set(
        actor=SystemActor("tests"),
        office=world.office,
        periods=[(d, dt.time(8), dt.time(16)) for d in range(5)],
    )
    late = at(23, 37)  # Monday night
    with pytest.raises(ValidationError) as refused:
        services.walk_in_issue(
            office=world.office, lane=office_floor.passports, actor=world.officer, now=late
        )
    assert "closed now" in str(refused.value.message) and "08:00\u201316:00" in str(refused.value.message)
    assert refused.value.field == "after_hours"
    saturday = at(10, 0) + dt.timedelta(days=5)
    with pytest.raises(ValidationError, match="closed all day today"):
        services.walk_in_issue(
            office=world.office, lane=office_floor.passports, actor=world.officer, now=saturday
        )
    assert not Ticket.objects.exists()
    # A visitor who came in before closing is still served, and that is recorded.
    ticket = services.walk_in_issue(
        office=world.office, lane=office_floor.passports, actor=world.officer, after_hours=True, now=late
    )
    assert Event.objects.get(code="queue.walk_in", subject_id=str(ticket.pk)).details["after_hours"] is True
    assert services.walk_in_issue(
        office=world.office, lane=office_floor.passports, actor=world.officer, now=at(10, 0)
    )
