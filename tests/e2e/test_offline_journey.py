"""The installable app offline (360 px, Indonesian): the applicant opens her case and her
appointment page, the connection drops, and both still show, each saying when it was fetched; a
page never opened shows the offline page; back online, signing out leaves nothing of hers on
the device. Then larger text and high contrast, chosen from the footer, kept on the device,
passing axe at 360 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gerbang.applications.tests import factories as f
from tests.e2e.test_accessibility import audit
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _kept_pages(page: Any) -> list[str]:
    return page.evaluate(
        """async () => {
            const cache = await caches.open("gerbang-pages");
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )


def test_read_the_case_offline_then_sign_out_and_leave_nothing(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    world = f.make_world()
    world.applicant.language = "id"
    world.applicant.save(update_fields=["language"])
    case = f.submitted(world)
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    sign_in(page, base, world.applicant.email)  # her account's language, Indonesian, follows
    page.goto(f"{base}/account/")
    # The worker takes charge of the page once it is active; then the pages opened are kept.
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15_000
    )
    page.goto(f"{base}/applications/{case.pk}/")
    number = case.number
    assert number in page.locator("main").inner_text()
    assert page.locator("[data-offline-note]").is_hidden()
    page.wait_for_function(
        f"""async () => {{
            const cache = await caches.open("gerbang-pages");
            return (await cache.keys()).some((r) => r.url.endsWith("/applications/{case.pk}/"));
        }}"""
    )

    browser_context.set_offline(True)
    page.reload()
    note = page.locator("[data-offline-note]")
    assert note.is_visible()
    assert "tidak terhubung" in note.inner_text()
    assert number in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "e2e-offline-case-id.png"), full_page=True)
    # A page not opened before: the offline page, with the way to what was kept.
    page.goto(f"{base}/applications/{case.pk}/documents/")
    assert page.locator("main h1").inner_text() == "Anda sedang tidak terhubung"
    assert page.locator('main a[href="/account/"]').count() == 1

    browser_context.set_offline(False)
    page.goto(f"{base}/applications/{case.pk}/")
    assert page.locator("[data-offline-note]").is_hidden()
    assert f"/applications/{case.pk}/" in _kept_pages(page)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    assert _kept_pages(page) == []
    assert audit(page, axe_source, f"{base}/offline/") == []


def test_larger_text_and_high_contrast_persist_pass_axe_and_fit_a_phone(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    f.make_world()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    page.goto(f"{base}/services/")
    page.get_by_role("link", name="Larger text").click()
    page.get_by_role("link", name="High contrast").click()
    assert page.url == f"{base}/services/"
    assert page.evaluate("document.documentElement.className") == "display-large display-contrast"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.screenshot(path=str(artifacts / "e2e-display-large-contrast-en.png"))
    # Kept on this device: a later visit, to another page, is shown the same way.
    for path in ("/", "/offices/", "/account/login/"):
        assert audit(page, axe_source, base + path) == []
        assert "display-contrast" in page.evaluate("document.documentElement.className")
    page.get_by_role("link", name="Normal text size").click()
    assert page.evaluate("document.documentElement.className") == "display-contrast"
