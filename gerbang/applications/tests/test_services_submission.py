"""``services.submission``: submitting a case."""

from __future__ import annotations

import pytest

from gerbang.applications import selectors
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
