"""The work queue's filters that the supervisors' dashboards link to: overdue where the office is,
decided in a period (each office's days), decided late, decided by someone; and the page's form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, sign_in_with_2fa, staff
from gerbang.applications import numbers, selectors
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
# Tuesday 8 December 2026, 23:30 WIB: already Wednesday 9 December, 00:30, in Makassar (WITA).
NOW = dt.datetime(2026, 12, 8, 23, 30, tzinfo=WIB)


@pytest.fixture
def world() -> Iterator[f.World]:
    with time_machine.travel(NOW, tick=False):
        yield f.make_world()


def case(world: f.World, state: State, *, office: Any = None, **fields: Any) -> Application:
    place = office or world.office
    return Application.objects.create(
        applicant=UserFactory.create(),
        office=place,
        service=world.service("paspor-biasa"),
        form_key="passport",
        state=state,
        number=numbers.new_number(office_code=place.code, year=2026),
        **fields,
    )


def decision(application: Application, officer: Any, moment: dt.datetime, action: str = "approve") -> None:
    Event.objects.create(
        code=f"application.{action}",
        actor=officer,
        subject_type="applications.application",
        subject_id=str(application.pk),
        office_id=application.office_id,
        created_at=moment,
    )


def ids(cases: object) -> set[int]:
    return {c.pk for c in cases}  # type: ignore[attr-defined]


def test_overdue_is_counted_from_the_offices_own_today(world: f.World) -> None:
    national = staff(Role.NATIONAL_ADMIN)
    due = dt.date(2026, 12, 8)
    here = case(world, State.IN_REVIEW, due_date=due)
    there = case(world, State.IN_VERIFICATION, office=world.other_office, due_date=due)
    case(world, State.CORRECTION_REQUESTED, office=world.other_office, due_date=due)  # the applicant's turn
    assert ids(selectors.work_queue(national, due="overdue")) == {there.pk}
    assert selectors.case_counts(national).overdue == 1
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert ids(selectors.work_queue(national, due="overdue")) == {here.pk, there.pk}


def test_decided_in_a_period_late_and_by_whom(world: f.World) -> None:
    national = staff(Role.NATIONAL_ADMIN)
    other = staff(Role.OFFICER, [world.office], full_name="Petugas Dua")
    # 8 December 23:30 WIB: the 8th in Mesuji, the 9th in Makassar.
    late_night = dt.datetime(2026, 12, 8, 23, 30, tzinfo=WIB)
    here = case(world, State.APPROVED, due_date=dt.date(2026, 12, 7), decided_at=late_night)
    decision(here, world.officer, late_night)
    there = case(
        world, State.REJECTED, office=world.other_office, due_date=dt.date(2026, 12, 9), decided_at=late_night
    )
    decision(there, other, late_night, "reject")
    reversed_case = case(world, State.IN_REVIEW, due_date=dt.date(2026, 12, 9))
    decision(reversed_case, other, late_night)
    eighth, ninth = dt.date(2026, 12, 8), dt.date(2026, 12, 9)

    def queue(**filters: object) -> set[int]:
        return ids(selectors.work_queue(national, state="all", **filters))  # type: ignore[arg-type]

    assert queue(decided_from=eighth, decided_to=eighth) == {here.pk}
    assert queue(decided_from=ninth, decided_to=ninth) == {there.pk}
    assert queue(decided_from=eighth) == {here.pk, there.pk}
    assert queue(decided_to=eighth) == {here.pk}
    assert queue(decided_from=eighth, decided_to=ninth, late=True) == {here.pk}
    # Whoever decided, reversed decisions too, on their office's days.
    assert queue(decided_by=other.pk) == {there.pk, reversed_case.pk}
    assert queue(decided_by=other.pk, decided_from=eighth, decided_to=eighth) == {reversed_case.pk}
    assert queue(decided_by=world.officer.pk, decided_to=dt.date(2026, 12, 7)) == set()
    assert queue(decided_by=2**63) == set()


def browser(user: object) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    sign_in_with_2fa(client, user)  # type: ignore[arg-type]
    return client


def test_the_page_filters_by_decision_and_says_how_many(world: f.World) -> None:
    moment = dt.datetime(2026, 12, 8, 10, 0, tzinfo=WIB)
    mine = case(world, State.APPROVED, due_date=dt.date(2026, 12, 9), decided_at=moment)
    decision(mine, world.officer, moment)
    case(world, State.IN_REVIEW, due_date=dt.date(2026, 12, 9))
    page = browser(world.supervisor).get(
        reverse("backoffice:case_queue"),
        {
            "state": "all",
            "decided_from": "2026-12-08",
            "decided_to": "2026-12-08",
            "decided_by": world.officer.pk,
        },
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert re.findall(r'href="/backoffice/cases/(\d+)/"', body) == [str(mine.pk)]
    assert "1 application matches." in body
    assert f'<option value="{world.officer.pk}" selected>Petugas Satu</option>' in body
    assert (
        "2 applications match."
        in browser(world.supervisor).get(reverse("backoffice:case_queue")).content.decode()
    )


def test_a_mistyped_filter_is_said_and_kept(world: f.World) -> None:
    client = browser(world.supervisor)
    response = client.get(
        reverse("backoffice:case_queue"), {"decided_from": "8/12/2026x", "decided_by": str(2**63)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the first day as a date, e.g. 2026-12-01." in body
    assert "Choose one of the staff in the list." in body
    assert 'value="8/12/2026x"' in body
    # Someone of another office is not offered (nor named) to a supervisor of this one.
    stranger = staff(Role.OFFICER, [world.other_office], full_name="Orang Lain")
    response = client.get(reverse("backoffice:case_queue"), {"decided_by": stranger.pk})
    assert response.status_code == 400 and "Orang Lain" not in response.content.decode()
    reversed_order = client.get(
        reverse("backoffice:case_queue"), {"decided_from": "2026-12-09", "decided_to": "2026-12-01"}
    )
    assert "The last day comes before the first." in reversed_order.content.decode()


def test_someone_who_moved_on_is_still_offered_for_what_they_decided(world: f.World) -> None:
    moment = dt.datetime(2026, 12, 8, 10, 0, tzinfo=WIB)
    former = staff(Role.OFFICER, [world.other_office], full_name="Pindahan")
    decided = case(world, State.REJECTED, decided_at=moment)
    decision(decided, former, moment, "reject")
    names = dict(selectors.deciders(world.supervisor, including=former.pk))
    assert names[former.pk] == "Pindahan"
    assert former.pk not in dict(selectors.deciders(world.supervisor))


def test_ids_no_column_holds_find_nothing(world: f.World) -> None:
    huge = str(2**63)
    client = browser(world.supervisor)
    for name in ("office", "service", "assigned", "decided_by", "page"):
        response = client.get(reverse("backoffice:case_queue"), {name: huge})
        assert response.status_code in {200, 400}, name
