"""The civil registry is down: an officer sees why a paid case waits, the registry comes back on
the simulators' page, and the case goes on when asked again (English, 1280 px). Then a partner's
badly signed question, played on the simulators' page, is refused, and the national
administrator finds it in the exchange log (Indonesian, 360 px). The pages pass axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import current_code, staff
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.integrations import checks
from gerbang.integrations.models import Exchange
from gerbang.integrations.tests.conftest import partners, simulator  # noqa: F401 - fixtures
from gerbang.integrations.tests.test_checks import PERSON
from tests.e2e.test_accessibility import audit
from tests.e2e.test_accessibility import sign_in as reuse_session
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_case_waits_for_the_registry_and_a_bad_question_is_refused(
    browser_context: Any,
    live_server: Any,
    partners: Any,  # noqa: F811 - the fixture imported above
    settings: Any,
    artifacts: Path,
    axe_source: str,
) -> None:
    settings.SITE_URL = live_server.url
    partners.control("people", {f.NIK_MAN: PERSON})
    partners.mode("dukcapil", "down")
    world = f.make_world()
    case = f.paid(world)
    checks.checks_run_for(case.pk)
    check = case.external_checks.get(kind="identity")
    base = live_server.url

    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    sign_in(page, base, world.officer.email, current_code(TOTPDevice.objects.get(user=world.officer)))
    page.goto(f"{base}/backoffice/cases/{case.pk}/")
    card = page.locator(f"#check-{check.pk}")
    card.get_by_text("No answer yet").wait_for()
    assert "the agency's service said it is unavailable" in card.inner_text()
    assert "Being checked with other agencies" in page.locator("main").inner_text()
    page.locator("#checks").screenshot(path=str(artifacts / "e2e-partner-waiting-en.png"))
    assert audit(page, axe_source, f"{base}/backoffice/cases/{case.pk}/") == []

    # The registry comes back, on the simulators' page.
    sim = browser_context.new_page()
    sim.goto(f"{base}/simulator/partners/")
    form = sim.locator("li.card", has_text="dukcapil")
    form.get_by_label("Behaviour").select_option("up")
    form.get_by_role("button", name="Set").click()
    sim.get_by_text("dukcapil is now up.").wait_for()

    page.locator(f"#check-{check.pk}").get_by_role("button", name="Ask again now").click()
    page.get_by_text("The partner was asked again.").wait_for()
    assert "Every field matches the registry." in page.locator(f"#check-{check.pk}").inner_text()
    assert Application.objects.get(pk=case.pk).state == State.PAID

    # A partner's badly signed question is refused ...
    sim.get_by_role("button", name="Ask with a bad signature").click()
    sim.locator("#answer").wait_for()
    assert "401" in sim.locator("#answer").inner_text()
    assert Exchange.objects.filter(outcome="refused", reason="bad_signature").count() == 1

    # ... and the national administrator finds it in the log, in Indonesian on a phone.
    admin = staff(Role.NATIONAL_ADMIN, [], full_name="Admin Nasional")
    admin.language = "id"
    admin.save()
    phone = browser_context.browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    phone.add_cookies([{"name": "django_language", "value": "id", "url": base}])
    reuse_session(phone, admin)
    log = phone.new_page()
    log.goto(f"{base}/backoffice/")
    log.get_by_role("link", name="Instansi mitra").first.click()
    log.get_by_role("heading", name="Pertukaran data").wait_for()
    log.get_by_label("Hasil").select_option("refused")
    log.get_by_role("button", name="Tampilkan").click()
    row = log.locator("td[data-outcome='refused']").first
    row.wait_for()
    assert "tanda tangan tidak sah" in row.inner_text()  # the reason, in words
    assert log.evaluate("document.documentElement.scrollWidth") <= 360
    log.screenshot(path=str(artifacts / "e2e-partner-log-id.png"), full_page=True)
    assert audit(log, axe_source, f"{base}/backoffice/exchange/?outcome=refused") == []
