"""The public statistics pages: the page with its tables, its charts and its data files, in both
languages, withheld figures the same everywhere, wrong filters answered clearly."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.applications.tests import factories as f
from gerbang.core.actors import SystemActor
from gerbang.transparency import services
from gerbang.transparency.models import ALL, MonthlyFigure

pytestmark = pytest.mark.django_db
PAGE = reverse("transparency:statistics")


def client(language: str = "en") -> Client:
    visitor = Client()
    visitor.cookies["django_language"] = language
    return visitor


@pytest.fixture
def world(settings: Any) -> f.World:
    settings.STATISTICS_MIN_CELL = 2  # small numbers of cases are enough to show figures
    made = f.make_world()
    for _n in range(3):
        f.submitted(made)
    services.figures_refresh(actor=SystemActor("tests"))
    return made


def test_the_page_shows_the_figures_with_their_tables_and_charts(world: f.World) -> None:
    page = client().get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Applications submitted per month" in html and "Offices compared" in html
    month = timezone.localdate().strftime("%B %Y")
    assert f'<th scope="row">{month}*</th><td>3</td>' in html  # this month, not over yet
    for key in ("permohonan", "hasil", "waktu"):
        assert reverse("transparency:chart", args=[key]) in html
    indonesian = client("id").get(PAGE).content.decode()
    assert "Permohonan diajukan per bulan" in indonesian


def test_each_chart_is_an_svg_with_its_title_and_no_script(world: f.World) -> None:
    for key in ("permohonan", "hasil", "waktu"):
        chart = client().get(reverse("transparency:chart", args=[key]), {"kantor": "mesuji"})
        svg = chart.content
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
        assert b"<svg" in svg and b"<script" not in svg and b"Kantor Imigrasi Mesuji" in svg
        assert "'unsafe-inline'" in chart["Content-Security-Policy"]
    assert client().get(reverse("transparency:chart", args=["nothing"])).status_code == 404
    # The phone's variant is drawn at the size it is shown.
    narrow = client().get(reverse("transparency:chart", args=["permohonan"]), {"ukuran": "kecil"}).content
    assert b'viewBox="0 0 360 320"' in narrow


def test_the_files_hold_the_numbers_the_page_shows(world: f.World) -> None:
    rows = list(csv.DictReader(io.StringIO(client().get(reverse("transparency:data_csv")).content.decode())))
    assert rows[-1]["submitted"] == "3" and rows[-1]["month_complete"] == "False"
    data = json.loads(client().get(reverse("transparency:data_json")).content)
    assert data["months"][-1]["submitted"] == 3 and data["months"][-1]["month_complete"] is False
    # The period is the complete months: this month's cases are not in it yet.
    assert data["period"]["submitted"] == 0


def test_a_withheld_count_is_withheld_in_the_page_and_the_files(world: f.World, settings: Any) -> None:
    settings.STATISTICS_MIN_CELL = 10
    MonthlyFigure.objects.all().delete()
    services.figures_reconcile(actor=SystemActor("tests"), days=3)
    assert MonthlyFigure.objects.get(office_id=ALL, service_id=ALL, measure="submitted").suppressed
    html = client().get(PAGE).content.decode()
    assert '<abbr class="withheld" title="withheld">\u2013</abbr>' in html
    month = timezone.localdate().strftime("%B %Y")
    assert f'<th scope="row">{month}*</th><td>3</td>' not in html
    rows = list(csv.DictReader(io.StringIO(client().get(reverse("transparency:data_csv")).content.decode())))
    assert rows[-1]["submitted"] == ""
    assert (
        json.loads(client().get(reverse("transparency:data_json")).content)["months"][-1]["submitted"] is None
    )


def test_a_wrong_filter_is_said_and_the_right_ones_kept(world: f.World) -> None:
    page = client().get(PAGE, {"kantor": "nowhere", "layanan": "paspor-biasa", "periode": "7"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Select a valid choice" in html
    # The valid choice (the service) is still shown; the office falls back to the national figure.
    assert 'value="paspor-biasa" selected' in html and "All offices (national)" in html
    # The boxes show what the page shows instead: all offices, and the last twelve months.
    assert '<option value="" selected>All offices (national)</option>' in html
    assert '<option value="12" selected>Last 12 months</option>' in html


def test_the_periods_are_named_in_the_readers_language(world: f.World) -> None:
    assert "Last 24 months" in client("en").get(PAGE).content.decode()
    assert "24 bulan terakhir" in client("id").get(PAGE).content.decode()


def test_the_catalogue_describes_every_file_and_every_file_answers(world: f.World) -> None:
    answer = client().get(reverse("transparency:catalogue"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/ld+json"
    catalogue = json.loads(answer.content)
    assert catalogue["@type"] == "dcat:Catalog" and catalogue["dct:license"]["@id"].endswith("/by/4.0/")
    (dataset,) = catalogue["dcat:dataset"]
    assert {title["@language"] for title in dataset["dct:title"]} == {"id", "en"}
    downloads = [d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]]
    assert any("kantor=mesuji" in url for url in downloads)
    for url in downloads:
        path = url.removeprefix("http://testserver")
        assert client().get(path).status_code == 200, url


def test_payments_in_time_show_in_the_page_the_files_and_the_api(world: f.World) -> None:
    for _n in range(2):
        f.paid(world)
    services.figures_refresh_all(actor=SystemActor("tests"))
    html = client().get(PAGE).content.decode()
    assert "Appointments, waiting, payments and complaints" in html
    month = timezone.localdate().strftime("%B %Y")
    # Days to an appointment and minutes waited are withheld (nobody booked or came); both bills
    # were paid in time; no complaint.
    withheld = '<abbr class="withheld" title="withheld">\u2013</abbr>'
    assert (
        f'<th scope="row">{month}*</th><td>{withheld}</td><td>{withheld}</td><td>100%</td><td>0</td>' in html
    )
    assert "Satisfaction index (IKM)" in html
    assert "Pembayaran, waktu tunggu" not in html
    rows = list(csv.DictReader(io.StringIO(client().get(reverse("transparency:data_csv")).content.decode())))
    assert rows[-1]["bills_paid_within_deadline"] == "1.0" and rows[-1]["complaints"] == "0"
    assert rows[-1]["wait_minutes_p50"] == ""
    api = client().get("/api/v1/statistics/applications").json()
    assert api["dataset"] == "gerbang-applications-monthly/2"
    assert api["months"][-1]["bills_paid_within_deadline"] == 1.0


def test_a_file_asked_for_with_a_wrong_filter_says_what_was_wrong(world: f.World) -> None:
    answer = client().get(reverse("transparency:data_csv"), {"kantor": "nowhere"})
    assert answer.status_code == 400 and "kantor:" in answer.content.decode()
    answer = client().get(reverse("transparency:data_json"), {"periode": "7"})
    assert answer.status_code == 400 and list(answer.json()["errors"]) == ["periode"]


@pytest.mark.parametrize(("quarters_back", "so_far"), [(0, True), (1, False)])
def test_the_satisfaction_line_says_when_its_quarter_is_not_over(
    world: f.World, quarters_back: int, so_far: bool
) -> None:
    from gerbang.core.calendar import months_later
    from gerbang.ikm.models import Result
    from gerbang.ikm.periods import Period, PeriodKind
    from gerbang.transparency import selectors

    today = timezone.localdate()
    this_quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    period = Period(PeriodKind.QUARTER, months_later(this_quarter, -3 * quarters_back))
    Result.objects.create(
        scope=f"national/all/{period.slug}",
        period_kind=period.kind,
        period_start=period.start,
        respondents=40,
        sums={},
        nrr={},
        ikm="88.10",
        grade="A",
        population=100,
        minimum_sample=30,
    )
    line = selectors.satisfaction(None)
    assert line is not None and line.so_far is so_far
    html = client().get(PAGE).content.decode()
    assert ("answers are still coming in" in html) is so_far
    assert "88.10" in html


def test_months_before_counting_began_are_left_out_and_said(world: f.World) -> None:
    from gerbang.core.calendar import months_later
    from gerbang.transparency import selectors

    this_month = timezone.localdate().replace(day=1)
    html = client().get(PAGE, {"periode": "24"}).content.decode()
    assert f"Counting began in {this_month:%B %Y}" in html
    began = months_later(this_month, -2)
    MonthlyFigure.objects.create(
        month=began, office_id=ALL, service_id=ALL, measure="submitted", bucket=0, count=0
    )
    selectors.figures_changed()
    summary = selectors.summary(ALL, ALL, selectors.months_back(24))
    assert summary.counted_from == began
    assert [each.month for each in summary.months] == [began, months_later(this_month, -1)]
    assert selectors.summary(ALL, ALL, selectors.months_back(6, months_later(began, 7))).counted_from is None
