"""Closed periods are released once, frozen, with the digest of their CSV; a changed figure
publishes a new version that says what it revised, and the old one stays as it was."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from gerbang.applications.tests import factories as f
from gerbang.core.actors import SystemActor
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.transparency import releases
from gerbang.transparency.models import ALL, MonthlyFigure, Release

pytestmark = pytest.mark.django_db
ACTOR = SystemActor("tests")
OCTOBER = date(2026, 10, 1)
TODAY = date(2026, 12, 4)  # November closed on the 3rd


def visitor(language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(
    ("slug", "kind", "first", "last", "iso"),
    [
        ("2026-11", PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 1), "2026-11"),
        ("2026-Q3", PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 9, 1), "2026-07/2026-09"),
        ("2025", PeriodKind.YEAR, date(2025, 1, 1), date(2025, 12, 1), "2025-01/2025-12"),
    ],
)
def test_a_period_is_named_in_its_address_and_its_files(
    slug: str, kind: str, first: date, last: date, iso: str
) -> None:
    period = Period.from_slug(slug)
    assert period == Period(kind, first) and period.months()[-1] == last
    assert period.slug == slug and releases.iso(period) == iso


def test_a_month_is_released_some_days_after_it_ends_with_its_quarter_and_year() -> None:
    assert releases.last_closed_month(date(2026, 12, 3)) == date(2026, 10, 1)
    assert releases.last_closed_month(date(2026, 12, 4)) == date(2026, 11, 1)
    due = releases.periods_due(date(2026, 12, 4))
    months = [p.start for p in due if p.kind == PeriodKind.MONTH]
    assert months[0] == date(2026, 11, 1) and len(months) == releases.REVISED_MONTHS
    assert Period(PeriodKind.QUARTER, date(2026, 7, 1)) in due
    assert Period(PeriodKind.YEAR, date(2025, 1, 1)) in due
    assert Period(PeriodKind.QUARTER, date(2026, 10, 1)) not in due  # not over yet
    assert Period(PeriodKind.YEAR, date(2026, 1, 1)) not in due


def figures(months: list[date], rejected: int) -> f.World:
    """The months' figures of one office and service, and their totals: 40 submitted, 30
    approved and ``rejected`` refused in each."""
    world = f.make_world()
    passport = world.service("paspor-biasa")
    cells = [(ALL, ALL), (ALL, passport.pk), (world.office.pk, ALL), (world.office.pk, passport.pk)]
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(month=month, office_id=office, service_id=service, measure=measure, count=count)
        for month in months
        for office, service in cells
        for measure, count in (("submitted", 40), ("approved", 30), ("rejected", rejected))
    )
    return world


@pytest.fixture
def october(settings: Any) -> f.World:
    settings.STATISTICS_MIN_CELL = 10
    return figures([OCTOBER], rejected=5)


def test_a_release_is_frozen_and_its_digest_is_the_files(october: f.World) -> None:
    assert releases.releases_publish(actor=ACTOR, today=TODAY) >= 1
    release = Release.objects.get(kind=PeriodKind.MONTH, first=OCTOBER)
    assert release.version == 1 and release.revised == []
    assert [row[:3] for row in release.rows] == [
        ["2026-10", "", ""],
        ["2026-10", "", "paspor-biasa"],
        ["2026-10", "mesuji", ""],
        ["2026-10", "mesuji", "paspor-biasa"],
    ]
    response = visitor().get("/statistik/rilis/2026-10/v1.csv")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == release.digest
    header, national, *_rest = response.content.decode().splitlines()
    assert header.startswith("period,office,service,submitted,approved,rejected")
    assert national.startswith("2026-10,,,40,30,5")
    # Nothing changed: nothing more is published.
    assert releases.releases_publish(actor=ACTOR, today=TODAY) == 0


def test_past_periods_are_dated_when_the_nightly_task_would_have_published_them(settings: Any) -> None:
    settings.STATISTICS_MIN_CELL = 10
    figures([date(2026, 8, 1), date(2026, 9, 1), OCTOBER], rejected=5)
    assert releases.releases_backfill(actor=ACTOR, today=TODAY) == 4  # 3 months and Q3
    dated = {(release.kind, release.first): release.published_at for release in Release.objects.all()}
    assert dated[(PeriodKind.MONTH, date(2026, 8, 1))] == datetime(2026, 9, 4, 20, 30, tzinfo=UTC)
    assert dated[(PeriodKind.QUARTER, date(2026, 7, 1))] == datetime(2026, 10, 4, 20, 30, tzinfo=UTC)
    assert dated[(PeriodKind.MONTH, OCTOBER)] == datetime(2026, 11, 4, 20, 30, tzinfo=UTC)
    # Once released, the nightly task finds nothing new, and a second backfill neither.
    assert releases.releases_publish(actor=ACTOR, today=TODAY) == 0
    assert releases.releases_backfill(actor=ACTOR, today=TODAY) == 0


def test_a_changed_figure_is_a_new_version_that_says_what_it_revised(october: f.World) -> None:
    releases.releases_publish(actor=ACTOR, today=TODAY)
    first = visitor().get("/statistik/rilis/2026-10/v1.csv").content
    MonthlyFigure.objects.filter(office_id=october.office.pk, service_id=ALL, measure="approved").update(
        count=31
    )
    MonthlyFigure.objects.filter(office_id=ALL, service_id=ALL, measure="approved").update(count=31)
    assert releases.releases_publish(actor=ACTOR, today=TODAY) >= 1
    second = Release.objects.get(kind=PeriodKind.MONTH, first=OCTOBER, version=2)
    assert second.revised == [
        {
            "office": "",
            "service": "",
            "change": "changed",
            "columns": ["approved", "decided", "approval_rate"],
        },
        {
            "office": "mesuji",
            "service": "",
            "change": "changed",
            "columns": ["approved", "decided", "approval_rate"],
        },
    ]
    # The first version is still there, byte for byte.
    assert visitor().get("/statistik/rilis/2026-10/v1.csv").content == first
    page = visitor().get("/statistik/rilis/").content.decode()
    assert "October 2026" in page and "Version 2 (CSV)" in page and "Revised 2 rows" in page
    assert second.digest in page
    indonesian = visitor("id").get("/statistik/rilis/").content.decode()
    assert "Oktober 2026" in indonesian and "Versi 2 (CSV)" in indonesian and "Direvisi 2 baris" in indonesian


@pytest.mark.parametrize(
    "address",
    [
        "/statistik/rilis/2026-10/v9.csv",
        "/statistik/rilis/2026-13/v1.csv",
        f"/statistik/rilis/2026-10/v{2**63}.csv",
    ],
)
def test_a_release_not_published_is_not_found(october: f.World, address: str) -> None:
    releases.releases_publish(actor=ACTOR, today=TODAY)
    assert visitor().get(address).status_code == 404


def test_nothing_released_says_so(db: None) -> None:
    page = visitor().get("/statistik/rilis/")
    assert page.status_code == 200 and "Nothing released yet" in page.content.decode()


@pytest.fixture
def third_quarter(settings: Any) -> f.World:
    """July to September's figures, released."""
    settings.STATISTICS_MIN_CELL = 10
    world = figures([date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)], rejected=10)
    releases.releases_publish(actor=ACTOR, today=date(2026, 10, 5))
    return world


def test_a_quarter_has_its_report_as_a_page_and_a_pdf(third_quarter: f.World) -> None:
    page = visitor().get("/statistik/laporan/2026-Q3/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Immigration services report: Quarter 3 2026" in html
    assert "Kantor Imigrasi Mesuji" in html and "120" in html  # three months of 40
    assert "75%" in html  # 90 approved of 120 decided
    assert "Quarter 2 2026 was not released" in html
    release = Release.objects.get(kind=PeriodKind.QUARTER, first=date(2026, 7, 1))
    assert release.digest in html and "/statistik/rilis/2026-Q3/v1.csv" in html
    pdf = visitor().get("/statistik/laporan/2026-Q3.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    indonesian = visitor("id").get("/statistik/laporan/2026-Q3/").content.decode()
    assert "Laporan layanan keimigrasian: Triwulan 3 2026" in indonesian
    # The releases page leads to it.
    assert "/statistik/laporan/2026-Q3/" in visitor().get("/statistik/rilis/").content.decode()


def test_an_earlier_version_of_a_report_says_a_newer_one_exists(third_quarter: f.World) -> None:
    MonthlyFigure.objects.filter(office_id=ALL, service_id=ALL, measure="approved").update(count=31)
    releases.releases_publish(actor=ACTOR, today=date(2026, 10, 5))
    assert "A newer version" not in visitor().get("/statistik/laporan/2026-Q3/").content.decode()
    earlier = visitor().get("/statistik/laporan/2026-Q3/", {"versi": "1"}).content.decode()
    assert "A newer version of these figures exists (version 2)" in earlier


@pytest.mark.parametrize(
    "address",
    [
        "/statistik/laporan/2026-09/",  # a month has no report
        "/statistik/laporan/2026-Q2/",  # not released
        "/statistik/laporan/2026-Q3/?versi=7",
        "/statistik/laporan/2026-Q3/?versi=abc",
        f"/statistik/laporan/2026-Q3/?versi={2**63}",
        "/statistik/laporan/2026-Q9.pdf",
    ],
)
def test_a_report_not_published_is_not_found(third_quarter: f.World, address: str) -> None:
    assert visitor().get(address).status_code == 404


def test_a_report_of_a_period_counting_began_in_says_so(settings: Any) -> None:
    settings.STATISTICS_MIN_CELL = 10
    figures([date(2026, 9, 1)], rejected=10)
    releases.releases_publish(actor=ACTOR, today=date(2026, 10, 5))
    html = visitor().get("/statistik/laporan/2026-Q3/").content.decode()
    assert "Counting began in September 2026" in html
    assert "Approval rate" in html  # a share, not the count of approvals
