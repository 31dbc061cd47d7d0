"""Public education in a browser, at phone width, with axe: a content editor writes a right in
both languages side by side and publishes it; a visitor finds the rights-and-duties page from
the footer, in Indonesian and in English, with its legal basis. Then scam warnings: an editor
runs a campaign for one office; a visitor sees the national warning on every page and the
office's on its page, reads how to recognise the scam, reaches the official-channel checker and
hides the warning; the applicant sees the warnings on their dashboard."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import staff
from gerbang.content.models import RightsEntry, ScamCampaign, Status
from gerbang.core.tests import demo_snapshot
from tests.e2e.test_accessibility import audit, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def another_browser(browser_context: Any, base: str, language: str) -> tuple[Any, Any]:
    """A browser of the next person's own, with no cookie, service worker or request in flight
    from the last person's pages. Clearing the cookies of the same browser is not enough: a
    response still on its way (the service worker's, say) sets the last person's session
    cookie again, and the "visitor" reads the pages signed in, in that person's language."""
    context = browser_context.browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context, context.new_page()


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
    visitor, page = another_browser(browser_context, base, "en")
    page.goto(f"{base}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Rights and duties").click()
    page.get_by_role("heading", name="Rights and duties", level=1).wait_for()
    page.get_by_role("heading", name="Foreigners in Indonesia").wait_for()
    written = page.locator(f"#rights-{entry.pk}")
    written.get_by_text("Report a move").wait_for()
    written.get_by_text("Law No. 6/2011 on Immigration, Article 71").wait_for()
    assert audit(page, axe_source, f"{base}/rights/") == []
    visitor.add_cookies([{"name": "django_language", "value": "id", "url": base}])
    page.goto(f"{base}/rights/")
    page.get_by_role("heading", name="Hak dan kewajiban", level=1).wait_for()
    written.get_by_text("Melapor pindah alamat").wait_for()
    written.get_by_text("UU No. 6/2011 tentang Keimigrasian, Pasal 71").wait_for()
    assert audit(page, axe_source, f"{base}/rights/") == []
    # From the complaints form, the right to complain links back here.
    page.goto(f"{base}/lapor/")
    page.get_by_role("link", name="hak dan kewajiban Anda").click()
    page.wait_for_url(f"{base}/rights/")
    page.get_by_role("heading", name="Hak dan kewajiban", level=1).wait_for()

    # --- Scam warnings ------------------------------------------------------------------------
    editing, page = another_browser(browser_context, base, "en")
    sign_in(editing, editor)
    page.goto(f"{base}/backoffice/scam-campaigns/")
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("title (Indonesian)").fill("Pungutan liar di loket")
    page.get_by_label("title (English)").fill("Illegal charges at the counter")
    page.get_by_label("message (Indonesian)").fill("Tidak ada biaya di loket.")
    page.get_by_label("message (English)").fill("There is no charge at the counter.")
    page.get_by_label("tell-tale signs (Indonesian)").fill("Diminta uang tunai")
    page.get_by_label("tell-tale signs (English)").fill("Being asked for cash")
    page.get_by_label("what to do (Indonesian)").fill("Tolak dan laporkan")
    page.get_by_label("what to do (English)").fill("Refuse and report it")
    page.get_by_label("Sijunjung Class III Immigration Office").check()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published.").wait_for()
    assert ScamCampaign.objects.get(title_en="Illegal charges at the counter").is_running()

    _visitor, page = another_browser(browser_context, base, "en")
    page.goto(f"{base}/services/")
    national = page.get_by_role(
        "region", name="Beware: Passport brokers on WhatsApp and fake payment accounts"
    )
    national.wait_for()
    assert page.get_by_text("Illegal charges at the counter").count() == 0
    assert audit(page, axe_source, f"{base}/services/") == []
    page.goto(f"{base}/offices/sijunjung/")
    page.get_by_role("region", name="Beware: Illegal charges at the counter").wait_for()
    assert audit(page, axe_source, f"{base}/offices/sijunjung/") == []
    page.get_by_role("region", name="Beware: Illegal charges at the counter").get_by_role(
        "link", name="How to recognise it and what to do"
    ).click()
    page.get_by_role("heading", name="Scam warnings", level=1).wait_for()
    page.get_by_role("heading", name="Earlier warnings").wait_for()
    page.get_by_text("Being asked for cash").wait_for()
    assert audit(page, axe_source, f"{base}/scam-warnings/") == []
    page.get_by_role("main").get_by_role(
        "link", name="Is it official? Check a link, number or account"
    ).first.click()
    page.get_by_role("heading", name="Is it official?", level=1).wait_for()
    # Hidden in this browser, on every page; the other warning stays.
    page.goto(f"{base}/offices/sijunjung/")
    page.get_by_role(
        "button", name="Hide this warning: Passport brokers on WhatsApp and fake payment accounts"
    ).click()
    page.wait_for_url(f"{base}/offices/sijunjung/")
    page.get_by_role("region", name="Beware: Illegal charges at the counter").wait_for()
    assert (
        page.get_by_role(
            "region", name="Beware: Passport brokers on WhatsApp and fake payment accounts"
        ).count()
        == 0
    )
    page.goto(f"{base}/faq/")
    assert page.get_by_text("Beware:").count() == 0

    # In Indonesian, on the applicant's dashboard, as cards.
    applying, page = another_browser(browser_context, base, "id")
    applicant = User.objects.get(email="pemohon@gerbang.test")
    applicant.language = "id"
    applicant.save(update_fields=["language"])
    sign_in(applying, applicant)
    page.goto(f"{base}/account/")
    page.get_by_role("heading", name="Peringatan penipuan").wait_for()
    page.get_by_role(
        "region", name="Waspada: Calo paspor lewat WhatsApp dan rekening pembayaran palsu"
    ).wait_for()
    assert audit(page, axe_source, f"{base}/account/") == []
