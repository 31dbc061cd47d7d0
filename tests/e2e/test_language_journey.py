"""A visitor who reads Indonesian, on a phone, with and without JavaScript: the menu leads to the
announcements (with the collective-leave notice) and the guides in both languages, the office's
location opens a map, and "nearest to me" shows only where it works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gerbang.core.tests import demo_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_menu_location_and_nearest_office_in_indonesian(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    demo_snapshot.load_demo()
    browser_context.grant_permissions(["geolocation"])
    browser_context.set_geolocation({"latitude": -3.95, "longitude": 105.4})
    page = browser_context.new_page()

    # The menu leads to the announcements and the guides, in Indonesian then in English.
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Menu utama")
    menu.get_by_role("link", name="Pengumuman").click()
    page.get_by_role("heading", name="Cuti bersama akhir tahun").wait_for()
    menu.get_by_role("link", name="Panduan").click()
    page.get_by_role("heading", name="Panduan", level=1).wait_for()
    page.get_by_role("link", name="English").click()
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Announcements").click()
    page.get_by_role("heading", name="Collective leave at the end of the year").wait_for()
    menu.get_by_role("link", name="Guides").click()
    page.get_by_role("heading", name="Guides", level=1).wait_for()
    page.get_by_role("link", name="Bahasa Indonesia").click()

    # The office's location is a geo: address a phone opens in its map, decimals with a dot.
    page.goto(live_server.url + "/offices/mesuji/")
    location = page.get_by_role("link", name="-3.935, 105.435")
    assert location.get_attribute("href") == "geo:-3.935,105.435"

    # With JavaScript, "nearest to me" is offered and works.
    page.goto(live_server.url + "/offices/")
    nearest = page.get_by_role("button", name="Terdekat dari saya")
    assert nearest.is_visible()
    nearest.click()
    page.get_by_text("Kantor terdekat ditampilkan lebih dulu.").wait_for()
    assert "lat=-3.9500" in page.url

    # Without JavaScript it is not shown (it could do nothing); the search by name remains.
    plain = browser_context.browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}
    ).new_page()
    plain.goto(live_server.url + "/offices/")
    assert not plain.get_by_role("button", name="Terdekat dari saya").is_visible()
    assert not plain.get_by_text("Lokasi Anda hanya dipakai di peramban").is_visible()
    plain.get_by_role("searchbox").fill("Mesuji")
    plain.get_by_role("button", name="Cari").click()
    plain.get_by_role("link", name="Kantor Imigrasi Kelas III Non TPI Mesuji").first.wait_for()
    plain.screenshot(path=str(artifacts / "e2e-offices-without-javascript.png"), full_page=True)
    plain.context.close()
