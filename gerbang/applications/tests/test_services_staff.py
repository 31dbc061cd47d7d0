"""``services.staff``: claiming and assigning a case."""

from __future__ import annotations

import pytest

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications import selectors, services
from gerbang.applications.tests import factories as f
from gerbang.core.exceptions import Conflict, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def test_claim_and_assign(world: f.World) -> None:
    application = f.paid(world)
    claimed = services.application_claim(
        application=application, actor=world.officer, expected_version=application.version
    )
    assert claimed.assigned_to == world.officer
    other = staff(Role.OFFICER, [world.office])
    with pytest.raises(Conflict):
        services.application_claim(application=claimed, actor=other, expected_version=claimed.version)
    with pytest.raises(PermissionDenied):
        services.application_assign(
            application=claimed, assignee=other, actor=world.officer, expected_version=claimed.version
        )
    moved = services.application_assign(
        application=claimed, assignee=other, actor=world.supervisor, expected_version=claimed.version
    )
    assert moved.assigned_to == other
    assert [case.pk for case in selectors.work_queue(other, assigned="me")] == [application.pk]
