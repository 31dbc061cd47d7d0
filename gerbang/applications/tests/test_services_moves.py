"""``services.moves``: the one way a case changes state; staff moves of the table with their
reasons, the path to collection, and optimistic locking under concurrency."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications import selectors, services
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.core.tests.concurrency import in_parallel

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def test_full_path_to_collection(world: f.World) -> None:
    application = f.in_verification(world)
    assert application.due_date is not None
    for document in application.documents.filter(is_current=True):
        services.document_verify(
            document=document,
            actor=world.officer,
            expected_version=Application.objects.get(pk=application.pk).version,
        )
    for action in ("send_to_interview", "complete_interview", "approve", "mark_ready", "mark_collected"):
        current = Application.objects.get(pk=application.pk)
        services.application_transition(
            application=current, action=action, actor=world.officer, expected_version=current.version
        )
    assert Application.objects.get(pk=application.pk).state == State.COLLECTED


def test_reject_needs_reason_and_supervisor_can_reverse(world: f.World) -> None:
    application = f.in_verification(world)
    with pytest.raises(ValidationError):
        services.application_transition(
            application=application,
            action="reject",
            actor=world.officer,
            expected_version=application.version,
            reason_code="",
            reason="x",
        )
    rejected = services.application_transition(
        application=application,
        action="reject",
        actor=world.officer,
        expected_version=application.version,
        reason_code="data_mismatch",
        reason="The birth date differs from the birth certificate.",
    )
    with translation.override("en"):
        entries = selectors.timeline(rejected)
    assert "do not match" in entries[-1].reason and "birth certificate" in entries[-1].reason
    with pytest.raises(PermissionDenied):
        services.application_transition(
            application=rejected,
            action="reverse_decision",
            actor=world.officer,
            expected_version=rejected.version,
            reason="oops",
        )
    reversed_ = services.application_transition(
        application=rejected,
        action="reverse_decision",
        actor=world.supervisor,
        expected_version=rejected.version,
        reason="Wrong case opened.",
    )
    assert reversed_.state == State.IN_REVIEW


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter")
def test_two_officers_concurrently_on_postgresql() -> None:
    world = f.make_world()
    application = f.paid(world)
    other = staff(Role.OFFICER, [world.office])

    def act(user: Any) -> str:
        try:
            services.application_transition(
                application=application,
                action="start_verification",
                actor=user,
                expected_version=application.version,
            )
        except Conflict:
            return "conflict"
        return "ok"

    outcomes = in_parallel([lambda: act(world.officer), lambda: act(other)])
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Event.objects.filter(code="application.start_verification").count() == 1
