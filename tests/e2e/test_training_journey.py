"""The training office and the guided tour (issue 23), in headless Chromium at 360 px.

The Mesuji administrator resets the training office from its page (after ticking the box the
button asks for); the demo officer takes the guided tour from the home, page after page, with
the keyboard, then works a training case under the training banner; the public figures, open
data and ledger read before are read again afterwards and have not changed; the new pages pass
axe in both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.demo import DEMO_PASSWORD
from gerbang.accounts.models import User
from gerbang.accounts.tests.factories import current_code
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.core.actors import WORKER
from gerbang.core.models import Event
from gerbang.core.tests import demo_snapshot
from gerbang.ledger.services import log_integrate
from gerbang.training import selectors
from gerbang.transparency.services import figures_refresh_all
from tests.e2e.test_accessibility import audit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = ("/statistik/data.csv", "/api/v1/statistics/applications", "/api/v1/offices", "/ledger/checkpoint")


def public_figures(base: str) -> dict[str, str]:
    figures_refresh_all(actor=WORKER)
    log_integrate(actor=WORKER)
    with httpx.Client(base_url=base) as client:
        return {url: client.get(url).text for url in PUBLIC}


def sign_in(page: Any, base: str, email: str) -> None:
    """A demo member of staff signs in with the demo password and their second factor."""
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_code(TOTPDevice.objects.get(user__email=email)))
    page.get_by_role("button", name="Continue").click()


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_reset_take_the_tour_work_a_training_case_and_nothing_public_moves(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    demo_snapshot.load_demo()
    base = live_server.url
    before = public_figures(base)
    assert "Latihan" not in before["/api/v1/offices"]
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    User.objects.filter(email__in=["admin.mesuji@gerbang.test", "petugas.mesuji@gerbang.test"]).update(
        language="en"
    )

    # The Mesuji administrator resets the training office.
    page = browser_context.new_page()
    sign_in(page, base, "admin.mesuji@gerbang.test")
    page.goto(f"{base}/backoffice/")
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Training office").click()
    page.get_by_role("heading", name="Training office (not a real office)").wait_for()
    assert page.get_by_text("Training office: nothing here is real.").is_visible()
    old = set(Application.objects.filter(office=selectors.training_office()).values_list("pk", flat=True))
    page.get_by_role("button", name="Reset the training office").click()
    page.get_by_text("Nothing was reset: tick the box").wait_for()
    page.get_by_label("I understand that everything done in the training office will be deleted.").check()
    page.get_by_role("button", name="Reset the training office").click()
    page.get_by_text("The training office was reset: 9 synthetic cases are ready to practise on.").wait_for()
    fits(page)
    page.screenshot(path=str(artifacts / "e2e-training-reset-en.png"), full_page=True)
    new = set(Application.objects.filter(office=selectors.training_office()).values_list("pk", flat=True))
    assert new and old.isdisjoint(new)
    assert Event.objects.get(code="training.reset").actor == User.objects.get(
        email="admin.mesuji@gerbang.test"
    )
    page.close()
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])

    # The officer's first sign-in: the home offers the tour; it runs in place, by keyboard.
    page = browser_context.new_page()
    sign_in(page, base, "petugas.mesuji@gerbang.test")
    page.goto(f"{base}/backoffice/")
    offer = page.get_by_role("region", name="New to the back office?")
    offer.get_by_role("link", name="Take the tour").click()
    tour = page.get_by_role("dialog")
    tour.get_by_role("heading", name="Your home").wait_for()
    assert tour.get_by_text("Step 1 of 7").is_visible()
    page.screenshot(path=str(artifacts / "e2e-tour-home-en.png"))
    page.keyboard.press("Tab")  # from the focused heading to the first button: Next
    page.keyboard.press("Enter")
    tour.get_by_role("heading", name="Your work at a glance").wait_for()
    assert page.locator("#work-heading.tour-highlight").count() == 1
    tour.get_by_role("button", name="Next").click()
    page.get_by_role("dialog").get_by_role("heading", name="The case queue").wait_for()
    assert "/backoffice/cases/" in page.url
    assert page.get_by_text("Training office: nothing here is real.").is_visible()  # filtered by it
    page.get_by_role("dialog").get_by_role("button", name="Next").click()
    page.get_by_role("dialog").get_by_role("heading", name="A case").wait_for()
    case_url = page.url
    case = Application.objects.get(pk=int(case_url.rstrip("/").rsplit("/", 1)[1]))
    assert case.office.is_training
    page.get_by_role("dialog").get_by_role("button", name="Next").click()
    page.get_by_role("dialog").get_by_role("heading", name="The actions").wait_for()
    fits(page)
    page.screenshot(path=str(artifacts / "e2e-tour-actions-en.png"))
    page.keyboard.press("Escape")  # ends the tour
    page.get_by_role("dialog").wait_for(state="hidden")
    page.goto(f"{base}/backoffice/")
    page.get_by_role("heading", name="Work").wait_for()
    assert page.get_by_role("region", name="New to the back office?").count() == 0
    assert page.get_by_role("dialog").count() == 0

    # The officer works a training case: the paid one is taken into verification.
    paid = Application.objects.get(office=selectors.training_office(), state=State.PAID)
    page.goto(f"{base}/backoffice/cases/{paid.pk}/")
    assert page.get_by_text("Training office: nothing here is real.").is_visible()
    page.get_by_role("button", name="Start verification").click()
    page.get_by_text("Documents being verified").first.wait_for()
    paid.refresh_from_db()
    assert paid.state == State.IN_VERIFICATION
    # ... and its messages to the synthetic applicant stay in the system.
    synthetic = User.objects.get(pk=paid.applicant_id)
    assert synthetic.email.endswith("@pelatihan.example")

    # Nothing public moved.
    assert public_figures(base) == before

    # The new pages pass axe and fit the phone, in both languages.
    for language in ("en", "id"):
        browser_context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        User.objects.filter(email="petugas.mesuji@gerbang.test").update(language=language)
        problems: list[str] = []
        for path in ("/backoffice/training/", "/backoffice/tour/", f"/backoffice/cases/{paid.pk}/"):
            problems += audit(page, axe_source, base + path)
        assert problems == []
    page.screenshot(path=str(artifacts / "e2e-tour-page-id.png"), full_page=True)
