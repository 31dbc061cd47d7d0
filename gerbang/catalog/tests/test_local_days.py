"""Conditions over the rows of many offices, each counting its own calendar days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gerbang.catalog import selectors
from gerbang.catalog.models import Office
from gerbang.catalog.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

WIB, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura")


@pytest.fixture
def offices() -> tuple[Office, Office]:
    return (
        OfficeFactory.create(code="mesuji", time_zone="Asia/Jakarta"),
        OfficeFactory.create(code="jayapura", time_zone="Asia/Jayapura"),
    )


def test_the_zones_the_offices_are_in(offices: tuple[Office, Office]) -> None:
    assert selectors.office_zones() == ["Asia/Jakarta", "Asia/Jayapura"]


def test_a_moment_counts_on_the_day_it_is_where_the_office_is(offices: tuple[Office, Office]) -> None:
    # Friday 4 December 2026, 23:00 WIB is Saturday 5 December, 01:00 WIT.
    moment = dt.datetime(2026, 12, 4, 23, 0, tzinfo=WIB)
    Office.objects.update(updated_at=moment)
    zones = selectors.office_zones()
    friday = selectors.on_local_days(
        "updated_at", dt.date(2026, 12, 4), dt.date(2026, 12, 4), zones=zones, office_field=""
    )
    saturday = selectors.on_local_days("updated_at", dt.date(2026, 12, 5), None, zones=zones, office_field="")
    assert set(Office.objects.filter(friday).values_list("code", flat=True)) == {"mesuji"}
    assert set(Office.objects.filter(saturday).values_list("code", flat=True)) == {"jayapura"}
    days = dict(
        Office.objects.annotate(
            day=selectors.local_date_of("updated_at", zones=zones, office_field="")
        ).values_list("code", "day")
    )
    assert days == {"mesuji": dt.date(2026, 12, 4), "jayapura": dt.date(2026, 12, 5)}
    assert not Office.objects.filter(
        selectors.on_local_days("updated_at", None, None, zones=[], office_field="")
    )


def test_a_date_is_past_when_today_has_begun_where_the_office_is(offices: tuple[Office, Office]) -> None:
    # At 23:00 WIB on 4 December it is already 5 December in Jayapura: a date of the 4th has
    # passed there, not yet in Mesuji.
    now = dt.datetime(2026, 12, 4, 23, 0, tzinfo=WIB)
    Office.objects.update(created_at=now)
    passed = selectors.before_local_today(
        "created_at__date", zones=selectors.office_zones(), office_field="", now=now
    )
    assert set(Office.objects.filter(passed).values_list("code", flat=True)) == {"jayapura"}
    later = now + dt.timedelta(days=1)
    assert set(
        Office.objects.filter(
            selectors.before_local_today(
                "created_at__date", zones=selectors.office_zones(), office_field="", now=later
            )
        ).values_list("code", flat=True)
    ) == {"mesuji", "jayapura"}
