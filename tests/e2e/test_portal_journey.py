"""A visitor's journey through the information portal in headless Chromium: from the home page
to the lost-passport service, switch to English, run the guide, search in both languages and
land on the same service, and see an office's emergency banner and the services it stops."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gerbang.core.tests import demo_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_the_lost_passport_service_every_way(
    page: Any, live_server: Any, artifacts: Path
) -> None:
    demo_snapshot.load_demo()

    # Home page (Indonesian by default) to the lost-passport service.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Paspor hilang").first.click()
    page.get_by_role("heading", name="Penggantian paspor hilang", level=1).wait_for()
    assert "Rp 1.350.000" in page.content()
    service_url = page.url

    # Switch to English on the same page.
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name="Replacement of a lost passport", level=1).wait_for()
    assert page.url == service_url
    assert "Rp 1,350,000" in page.content()

    # Run the guide: citizen, adult, lost, normal time.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="What do I need?").click()
    for answer in (
        "An Indonesian citizen (WNI)",
        "17 or older",
        "Passport lost",
        "No, the normal service time is fine",
    ):
        page.get_by_label(answer).check()
        page.get_by_role("button", name="Next").click()
    page.get_by_role("heading", name=re.compile("You need: Replacement of a lost passport")).wait_for()
    assert "Loss report letter from the police" in page.content()
    page.screenshot(path=str(artifacts / "e2e-guide-result.png"), full_page=True)
    page.get_by_role("link", name="All about this service").click()
    assert page.url == service_url

    # Search in both languages: the same service comes first.
    for query in ("paspor hilang", "lost passport"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
        page.get_by_label("What are you looking for?").fill(query)
        page.get_by_role("button", name="Search").click()
        page.locator("ol.results li a").first.click()
        assert page.url == service_url, query

    # An office's emergency banner on its page, not on another office's.
    page.goto(live_server.url + "/offices/jayapura/")
    banner = page.get_by_role("region", name="Emergency notice")
    assert "Passport services stopped after flooding" in banner.inner_text()
    page.screenshot(path=str(artifacts / "e2e-emergency-banner.png"), full_page=True)
    # The notice stops passports there: every passport service of the office says so and
    # offers no application, while its other services stay.
    stopped = page.locator("p.unavailable", has_text="Passport services stopped after flooding")
    assert stopped.count() >= 5
    page.goto(live_server.url + "/services/paspor-biasa/")
    jayapura = page.locator("li", has_text="Jayapura").first
    assert "Passport services stopped after flooding" in jayapura.inner_text()
    assert jayapura.get_by_role("link", name=re.compile("Apply at this office")).count() == 0
    page.goto(live_server.url + "/offices/mesuji/")
    assert page.get_by_role("region", name="Emergency notice").count() == 0
