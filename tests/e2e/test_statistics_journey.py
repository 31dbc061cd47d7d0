"""A visitor on a phone finds the processing times of their office and service, reads the chart
with its table, and downloads the same numbers as CSV; in both languages, without signing in."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from gerbang.applications.tests import factories as f
from gerbang.core.actors import SystemActor
from gerbang.transparency import releases, services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


JOURNEY = {
    "id": {
        "link": "Statistik",
        "heading": "Statistik: permohonan dan lama penyelesaiannya",
        "chart": "Hari kerja dari pembayaran sampai keputusan",
        "releases": "rilis dan laporan: setiap bulan, triwulan, dan tahun yang sudah ditutup",
        "report": "Laporan: Triwulan {quarter} {year}",
        "report_heading": "Laporan layanan keimigrasian: Triwulan {quarter} {year}",
        "pdf": "Laporan ini dalam PDF",
        "began": "Penghitungan dimulai pada",
    },
    "en": {
        "link": "Statistics",
        "heading": "Statistics: applications and how long they take",
        "chart": "Working days from payment to decision",
        "releases": "releases and reports: each closed month, quarter and year",
        "report": "Report: Quarter {quarter} {year}",
        "report_heading": "Immigration services report: Quarter {quarter} {year}",
        "pdf": "This report as PDF",
        "began": "Counting began in",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_visitor_on_a_phone_reads_the_figures_of_their_office_and_downloads_them(
    browser_context: Any, live_server: Any, settings: Any, language: str
) -> None:
    words = JOURNEY[language]
    link, heading, chart = words["link"], words["heading"], words["chart"]
    settings.STATISTICS_MIN_CELL = 2
    world = f.make_world()
    for _n in range(3):
        f.submitted(world)
    services.figures_refresh(actor=SystemActor("tests"))
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/")
    page.get_by_role("link", name=link, exact=True).click()
    page.get_by_role("heading", name=heading).wait_for()

    page.locator("#id_kantor").select_option("mesuji")
    page.locator("#id_layanan").select_option("paspor-biasa")
    page.locator("form.filters button[type=submit]").click()
    page.get_by_role("heading", name=chart).wait_for()
    assert "kantor=mesuji" in page.url and "layanan=paspor-biasa" in page.url
    # The chart is an image the browser loaded (the phone's variant), with its table under it.
    figure = page.locator("section", has=page.get_by_role("heading", name=chart))
    image = figure.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.currentSrc").endswith("ukuran=kecil")
    # Counting began this month (the installation is new): the months before it are not listed
    # as zeros, and the page says why.
    assert figure.locator("table tbody tr").count() == 1
    assert page.get_by_text(words["began"]).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # This month's three applications, in the table and in the CSV behind the page's link.
    href = page.locator("a[href*='data.csv']").get_attribute("href")
    assert href is not None
    answer = page.request.get(base + href)
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text())))
    assert rows[-1]["office"] == "mesuji" and rows[-1]["service"] == "paspor-biasa"
    assert rows[-1]["submitted"] == "3" and rows[-1]["month_complete"] == "False"

    # Once the quarter is over and released, its report, as a page on the phone and as a PDF.
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    after = date(today.year + 1, 1, 5) if quarter == 4 else date(today.year, 3 * quarter + 1, 5)
    releases.releases_publish(actor=SystemActor("tests"), today=after)
    page.goto(f"{base}/statistik/")
    page.get_by_role("link", name=words["releases"]).click()
    page.get_by_role("link", name=words["report"].format(quarter=quarter, year=today.year)).click()
    page.get_by_role(
        "heading", name=words["report_heading"].format(quarter=quarter, year=today.year), level=1
    ).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    pdf = page.get_by_role("link", name=words["pdf"]).get_attribute("href")
    assert pdf is not None
    answer = page.request.get(base + pdf)
    assert answer.ok and answer.body().startswith(b"%PDF")
