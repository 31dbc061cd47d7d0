"""The main path of a case through the services, end to end."""

from __future__ import annotations

import pytest

from gerbang.applications import selectors, services
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def test_submit_issues_a_bill_and_writes_timeline_and_outbox(world: f.World) -> None:
    application = f.submitted(world)
    assert application.state == State.AWAITING_PAYMENT
    assert application.number and application.number.startswith("MESUJI-")
    assert application.fee == 350_000
    assert application.payment_due_at is not None
    codes = [e.code for e in selectors.timeline(application)]
    assert codes == ["application.created", "application.submit", "application.issue_bill"]
    kinds = list(OutboxMessage.objects.filter(recipient=world.applicant).values_list("kind", flat=True))
    assert kinds == ["application.submit", "application.issue_bill"]


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
