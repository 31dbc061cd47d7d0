"""The waits of a period: each visitor's first wait once, in minutes rounded up, and the shares
read from them (the supervisors' dashboards and the queue report's summary)."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.queueing import selectors
from gerbang.queueing.models import Lane, Ticket, TicketSource, TicketStatus

pytestmark = pytest.mark.django_db


def test_shares_by_nearest_rank() -> None:
    waits = selectors.Waits({1: 1, 2: 2, 5: 1, 10: 1})
    assert (waits.called, waits.median, waits.p80, waits.within(1.0)) == (5, 2, 5, 10)
    assert selectors.Waits().median is None
    waits.add(selectors.Waits({1: 1}))
    assert (waits.called, waits.median, waits.p80) == (6, 2, 5)


def test_the_waits_of_some_days_and_the_report_says_them() -> None:
    office = OfficeFactory.create(code="mesuji")
    lane = Lane.objects.create(office=office, letter="A", name_id="Paspor")
    day = dt.date(2026, 12, 8)
    at = dt.datetime(2026, 12, 8, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

    def ticket(
        number: int, waited: int | None, source: str = TicketSource.WALK_IN, on: dt.date = day
    ) -> None:
        Ticket.objects.create(
            office=office,
            lane=lane,
            day=on,
            number=f"A-{number:03d}",
            token=secrets.token_hex(16),
            source=source,
            order_at=at,
            issued_at=at,
            status=TicketStatus.COMPLETED,
            waited_seconds=waited,
        )

    for number, seconds in enumerate((59, 60, 61, 600), start=1):
        ticket(number, seconds)
    ticket(5, 3000, TicketSource.TRANSFER)  # the same visitor, sent on
    ticket(6, None)
    ticket(7, 7000, on=dt.date(2026, 12, 1))
    waits = selectors.waits([office.pk], day, day)[office.pk]
    assert waits.minutes == {1: 2, 2: 1, 10: 1}
    assert (waits.median, waits.p80) == (1, 10)
    client = Client()
    client.cookies["django_language"] = "en"
    sign_in_with_2fa(client, staff(Role.SUPERVISOR, [office]))
    page = client.get(
        reverse("backoffice:queue_report", args=["mesuji"]), {"from": "2026-12-08", "until": "2026-12-08"}
    )
    assert "4 visitors were called: half waited at most 1 min, 80% at most 10 min." in page.content.decode()
