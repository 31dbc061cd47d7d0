"""A message reads only what its templates show: the bill, the timeline, the event and open
corrections are read by the messages that show them, not by every message."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from gerbang.applications.tests import factories as f
from gerbang.notifications.models import OutboxMessage
from gerbang.notifications.rendering import render

pytestmark = pytest.mark.django_db


def rendered_with_queries(kind: str) -> tuple[str, list[str]]:
    message = OutboxMessage.objects.select_related("recipient").get(kind=kind)
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        text = render(message).text
    return text, [q["sql"] for q in queries.captured_queries]


def test_a_message_that_shows_no_bill_reads_none() -> None:
    world = f.make_world()
    f.submitted(world)
    text, queries = rendered_with_queries("application.submit")
    assert "We received your application" in text
    assert not [q for q in queries if "payments_bill" in q or "core_event" in q]


def test_a_message_that_shows_the_bill_still_shows_it() -> None:
    world = f.make_world()
    application = f.submitted(world)
    text, queries = rendered_with_queries("application.issue_bill")
    bill = application.bills.get()
    assert bill.billing_code[:4] in text.replace(" ", "")
    assert [q for q in queries if "payments_bill" in q]
