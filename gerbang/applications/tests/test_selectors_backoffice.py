"""``selectors.backoffice``: the work queue."""

from __future__ import annotations

import pytest

from gerbang.applications import selectors
from gerbang.applications.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def test_queue_sorts_cases_without_due_date_last(world: f.World) -> None:
    unpaid = f.submitted(world)
    paid = f.paid(world, applicant=f.UserFactory.create(), answers=f.passport_answers(nik="3171011508900003"))
    assert [c.pk for c in selectors.work_queue(world.officer, sort="due")] == [paid.pk, unpaid.pk]
    assert [c.pk for c in selectors.work_queue(world.officer, sort="-due")] == [paid.pk, unpaid.pk]
