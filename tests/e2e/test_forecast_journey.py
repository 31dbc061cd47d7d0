"""Demand forecast: an office administrator on a phone opens the forecast from the back office's
menu, reads the chart, its table and how well it did against the naive baseline, applies the
suggested daily quotas with one button, and finds them in the office's appointment settings; in
both languages, at 360 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from gerbang.analytics.forecast import selectors, services, synthetic
from gerbang.analytics.forecast.services import RECENT_WEEKS
from gerbang.analytics.tests.forecast_factories import TESTS, place, weekly_figures
from gerbang.appointments.models import ServiceQuota
from gerbang.core.models import Event
from tests.e2e.test_accessibility import audit, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "id": {
        "menu": "Perkiraan permintaan",
        "chart": "Permohonan per minggu",
        "tested": "Diuji pada 12 minggu terakhir",
        "quotas": "Kuota harian yang disarankan",
        "apply": "Terapkan kuota harian ini",
        "applied": "1 kuota harian diterapkan",
        "settings": "Pengaturan janji temu kantor",
        "per_day": "{count} pemesanan sehari",
    },
    "en": {
        "menu": "Demand forecast",
        "chart": "Applications per week",
        "tested": "Tested on the last 12 weeks",
        "quotas": "Suggested daily quotas",
        "apply": "Apply these daily quotas",
        "applied": "1 daily quota applied",
        "settings": "The office's appointment settings",
        "per_day": "{count} bookings a day",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_office_admin_applies_the_suggested_quotas_on_a_phone(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str, language: str
) -> None:
    words = WORDS[language]
    world = place()
    weekly_figures(world.office, world.passport, synthetic.series(70, seed=21, per_day=3).counts)
    run = services.forecast_compute(office=world.office, actor=TESTS)
    row = next(
        row for row in selectors.suggestion(world.office, run).applicable if row.service == world.passport
    )
    suggested = row.suggested
    assert suggested is not None
    with translation.override(language):
        office, service = str(world.office.name), str(world.passport.name)
    world.admin.language = language
    world.admin.save(update_fields=["language"])
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    sign_in(browser_context, world.admin)
    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 780})

    page.goto(f"{base}/backoffice/")
    page.get_by_role("link", name=words["menu"], exact=True).click()
    page.get_by_role("heading", name=f"{words['menu']}: {office}").wait_for()
    page.locator("#id_service").select_option(world.passport.code)
    page.locator("form.filters button[type=submit]").click()
    heading = page.get_by_role("heading", name=f"{words['chart']}: {service}")
    heading.wait_for()
    # The chart is an image the browser loaded (the phone's variant), its numbers in the table.
    section = page.locator("section", has=heading)
    image = section.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.currentSrc").endswith("size=narrow")
    assert section.locator("table tbody tr").count() == RECENT_WEEKS + 12
    page.get_by_text(words["tested"]).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert audit(page, axe_source, page.url) == []
    page.screenshot(path=str(artifacts / f"e2e-forecast-{language}.png"), full_page=True)

    # The suggestion, filled in; one button applies it.
    page.get_by_role("heading", name=words["quotas"]).scroll_into_view_if_needed()
    field = page.get_by_role("spinbutton", name=service)
    assert field.input_value() == str(suggested)
    page.get_by_role("button", name=words["apply"]).click()
    page.get_by_text(words["applied"]).wait_for()
    assert ServiceQuota.objects.get(office=world.office, service=world.passport).daily_limit == suggested
    assert Event.objects.filter(code="forecast.quotas_applied").count() == 1

    page.get_by_role("link", name=words["settings"]).click()
    page.get_by_text(f"{service}: {words['per_day'].format(count=suggested)}").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
