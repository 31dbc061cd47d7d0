"""The reports queue's "overdue only" filter and the complaint counts the supervisors' dashboards
show: owed by the office and past the due date where the office is."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.catalog.selectors import office_zones
from gerbang.feedback import report_selectors as selectors
from gerbang.feedback.models import Report, ReportStatus
from gerbang.feedback.tests.conftest import Desk

pytestmark = pytest.mark.django_db

# Tuesday 8 December 2026, 23:30 WIB: already the 9th in Makassar (WITA).
NOW = dt.datetime(2026, 12, 8, 16, 30, tzinfo=dt.UTC)


def owed(
    desk: Desk, *, office: object, due: dt.date, status: str = ReportStatus.ROUTED, **fields: object
) -> Report:
    report = desk.report(**fields)
    Report.objects.filter(pk=report.pk).update(office=office, due=due, status=status)
    return Report.objects.get(pk=report.pk)


def test_overdue_where_the_office_is(desk: Desk) -> None:
    with time_machine.travel(NOW, tick=False):
        eighth = dt.date(2026, 12, 8)
        here = owed(desk, office=desk.office, due=eighth)
        there = owed(desk, office=desk.other_office, due=eighth)
        national = owed(desk, office=None, due=dt.date(2026, 12, 7))
        owed(desk, office=desk.office, due=dt.date(2026, 12, 1), status=ReportStatus.ANSWERED)  # nothing owed
        rows = selectors.staff_queue(desk.national, overdue=True)
        assert {r.pk for r in rows} == {there.pk, national.pk}
        assert all(selectors.is_overdue(r) for r in rows)
        assert not selectors.is_overdue(here)
        counts = selectors.complaint_counts(
            desk.national, [desk.office.pk, desk.other_office.pk], national=True, zones=office_zones()
        )
        assert counts == {
            desk.office.pk: selectors.ComplaintCounts(open=1, overdue=0),
            desk.other_office.pk: selectors.ComplaintCounts(open=1, overdue=1),
            None: selectors.ComplaintCounts(open=1, overdue=1),
        }
        # The office's staff count what they see: their office's, none about staff.
        owed(desk, office=desk.office, due=dt.date(2026, 12, 1), about_staff=True)
        assert selectors.complaint_counts(desk.supervisor, [desk.office.pk], zones=office_zones()) == {
            desk.office.pk: selectors.ComplaintCounts(open=1, overdue=0)
        }


def test_the_page_lists_the_overdue_ones_and_says_how_many(desk: Desk) -> None:
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        late = owed(desk, office=desk.office, due=dt.date(2026, 12, 8))
        owed(desk, office=desk.office, due=dt.date(2026, 12, 10))
        owed(desk, office=desk.office, due=dt.date(2026, 12, 1), kind="aspiration")
        client = Client()
        client.cookies["django_language"] = "en"
        sign_in_with_2fa(client, desk.supervisor)
        page = client.get(
            reverse("backoffice:reports"), {"office": "mesuji", "kind": "complaint", "overdue": "on"}
        ).content.decode()
        assert "1 report matches." in page and late.reference in page
        everything = client.get(reverse("backoffice:reports"), {"office": "mesuji", "kind": "complaint"})
        assert "2 reports match." in everything.content.decode()
