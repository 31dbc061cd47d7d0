"""Public education in a browser, at phone width, with axe: a content editor writes a right in
both languages side by side and publishes it; a visitor finds the rights-and-duties page from
the footer, in Indonesian and in English, with its legal basis."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.content.models import RightsEntry, Status
from gerbang.core.tests import demo_snapshot
from tests.e2e.test_accessibility import audit, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rights_and_duties_are_written_by_staff_and_read_by_the_public(
    browser_context: Any, page: Any, axe_source: str, live_server: Any
) -> None:
    demo_snapshot.load_demo()
    base = live_server.url
    editor = staff(Role.NATIONAL_ADMIN, [], language="en")
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    sign_in(browser_context, editor)

    # The editor writes a new duty, both languages side by side; a missing title is refused
    # and what was typed is kept.
    page.goto(f"{base}/backoffice/rights/")
    page.get_by_role("link", name="New right or duty").click()
    page.get_by_label("For whom").select_option("foreigner")
    page.get_by_label("Right or duty").select_option("duty")
    page.get_by_label("text (Indonesian)").fill("Orang asing wajib melapor bila pindah alamat.")
    page.get_by_label("text (English)").fill("Foreigners must report a change of address.")
    page.get_by_label("legal basis (Indonesian)").fill("UU No. 6/2011 tentang Keimigrasian, Pasal 71")
    page.get_by_label("legal basis (English)").fill("Law No. 6/2011 on Immigration, Article 71")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Write the title in at least one language.").first.wait_for()
    assert page.get_by_label("text (English)").input_value() == "Foreigners must report a change of address."
    page.get_by_label("title (Indonesian)").fill("Melapor pindah alamat")
    page.get_by_label("title (English)").fill("Report a move")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published.").wait_for()
    entry = RightsEntry.objects.get(title_en="Report a move")
    assert entry.status == Status.PUBLISHED and entry.audience == "foreigner"

    # A visitor (no account) finds the page from the footer, in English then Indonesian.
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Rights and duties").click()
    page.get_by_role("heading", name="Rights and duties", level=1).wait_for()
    page.get_by_role("heading", name="Foreigners in Indonesia").wait_for()
    written = page.locator(f"#rights-{entry.pk}")
    written.get_by_text("Report a move").wait_for()
    written.get_by_text("Law No. 6/2011 on Immigration, Article 71").wait_for()
    assert audit(page, axe_source, f"{base}/rights/") == []
    browser_context.add_cookies([{"name": "django_language", "value": "id", "url": base}])
    page.goto(f"{base}/rights/")
    page.get_by_role("heading", name="Hak dan kewajiban", level=1).wait_for()
    written.get_by_text("Melapor pindah alamat").wait_for()
    written.get_by_text("UU No. 6/2011 tentang Keimigrasian, Pasal 71").wait_for()
    assert audit(page, axe_source, f"{base}/rights/") == []
    # From the complaints form, the right to complain links back here.
    page.goto(f"{base}/lapor/")
    page.get_by_role("link", name="hak dan kewajiban Anda").click()
    page.get_by_role("heading", name="Hak dan kewajiban", level=1).wait_for()
