"""The demo's supervisor sees a dashboard with something in every part, and on the demo's own data
every number still opens a list of the same count."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.accounts.models import User
from gerbang.analytics.tests.test_dashboards import OFFICE, assert_lists_agree, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def test_the_demo_supervisor_sees_every_part_filled(demo: Any) -> None:
    supervisor = User.objects.get(email="supervisor.mesuji@gerbang.test")
    supervisor.language = "en"  # the lists' counts are read in English
    supervisor.save(update_fields=["language"])
    client = signed_in(supervisor)
    response = client.get(OFFICE, {"period": "30d"})
    assert response.status_code == 200
    shown = response.context["figures"]
    assert shown.office.code == "mesuji"
    assert shown.open.value > 0 and shown.decided.value > 0
    # Every decision is the office's two officers' (the past cases' steps are credited to them).
    assert {officer.name for officer in shown.officers} == {"Andi Pratama", "Dewi Lestari"}
    assert shown.waits.called > 0 and shown.visits_due > 0
    assert shown.ikm is not None and shown.complaints_open.value > 0
    assert_lists_agree(
        client,
        [
            *(stage.number for stage in shown.backlog),
            shown.open,
            shown.overdue,
            shown.decided,
            shown.late,
            *(officer.number for officer in shown.officers),
            shown.missed,
            shown.complaints_open,
            shown.complaints_overdue,
        ],
    )


def test_the_demo_has_visits_in_the_last_week(demo: Any) -> None:
    """The queue's past weeks (``queueing.demo_visits``) are there, not only the year of past
    cases' older tickets: the last week's figures are not empty."""
    supervisor = User.objects.get(email="supervisor.mesuji@gerbang.test")
    response = signed_in(supervisor).get(OFFICE, {"period": "7d"})
    assert response.status_code == 200
    assert response.context["figures"].waits.called > 0
