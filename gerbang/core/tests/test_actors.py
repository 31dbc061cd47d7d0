"""Actors fail closed: the system is named, holds no permission of its own, and a forgotten
actor is an error, never a skipped check."""

from __future__ import annotations

import pytest

from gerbang.accounts.tests.factories import UserFactory
from gerbang.catalog import services as catalog
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core import events
from gerbang.core.actors import SystemActor, person
from gerbang.core.exceptions import PermissionDenied
from gerbang.core.permissions import (
    Perm,
    has_permission,
    require_permission,
    require_permission_unless_system,
)

pytestmark = pytest.mark.django_db

WORKER = SystemActor("worker")


def test_the_system_holds_no_permission() -> None:
    assert not has_permission(WORKER, Perm.OFFICE_MANAGE)
    with pytest.raises(PermissionDenied):
        require_permission(WORKER, Perm.CATALOG_MANAGE)
    require_permission_unless_system(WORKER, Perm.CATALOG_MANAGE)  # said explicitly: passes


def test_nobody_and_a_visitor_are_refused_where_the_system_passes() -> None:
    with pytest.raises(PermissionDenied):
        require_permission_unless_system(None, Perm.CATALOG_MANAGE)  # type: ignore[arg-type]
    applicant = UserFactory.create()
    with pytest.raises(PermissionDenied):
        require_permission_unless_system(applicant, Perm.CATALOG_MANAGE)


def test_a_forgotten_actor_is_a_type_error_not_a_skipped_check() -> None:
    office = OfficeFactory.create()
    with pytest.raises(TypeError):
        catalog.opening_hours_set(office=office, periods=[])  # type: ignore[call-arg]
    with pytest.raises(PermissionDenied):
        catalog.opening_hours_set(office=office, periods=[], actor=None)  # type: ignore[arg-type]


def test_the_system_is_recorded_by_name() -> None:
    office = OfficeFactory.create()
    event = events.record("office.saved", actor=WORKER, subject=office, details={"fields": []})
    assert event.actor_id is None
    assert event.details == {"fields": [], "system": "worker"}
    assert str(WORKER) == "system (worker)"
    assert person(WORKER) is None
