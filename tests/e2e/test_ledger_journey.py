"""The applicant's case page marks each step that is in the public log, and the browser itself
checks it: the log's signed checkpoint (Ed25519) and the step's inclusion proof (SHA-256), then
turns the mark to "verified ✓". The proof page is checked the same way."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.applications.selectors import timeline
from gerbang.applications.tests import factories as f
from gerbang.core.actors import WORKER
from gerbang.ledger.services import log_integrate
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_browser_verifies_each_logged_step(browser_context: Any, live_server: Any) -> None:
    world = f.make_world()
    application = f.submitted(world)
    log_integrate(actor=WORKER)
    steps = [entry.event_id for entry in timeline(application)]
    assert steps
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    world.applicant.language = "en"
    world.applicant.save(update_fields=["language"])

    page = browser_context.new_page()
    sign_in(page, base, world.applicant.email)
    page.goto(f"{base}/applications/{application.pk}/")
    marks = page.locator("[data-ledger-event]")
    assert marks.count() == len(steps)
    # Each mark's check ends (verified, or failed with its reason): all must be verified.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ledger-event]')]"
        ".every(m => ['verified', 'verified-inclusion', 'failed'].includes(m.dataset.ledgerState))"
    )
    said = marks.locator(".ledger-status").all_inner_texts()
    assert said == ["verified ✓"] * len(steps), said
    assert [marks.nth(n).get_attribute("data-ledger-state") for n in range(len(steps))] == ["verified"] * len(
        steps
    )

    # Without trusting the page's script: the proof page, reached by the mark's link.
    marks.first.get_by_role("link", name="in the public log").click()
    page.get_by_role("heading", name="What “verified” means").wait_for()
    page.locator("[data-ledger-state=verified]").wait_for()


def test_the_browser_verifies_with_the_new_key_after_a_change(
    browser_context: Any, live_server: Any, settings: Any
) -> None:
    """After a change of key (here without overlap, as after a compromise), the latest checkpoint
    is signed by the new key only; the page's script reads the key list at /ledger/key and checks
    the checkpoint with the current key."""
    from gerbang.ledger.tests.helpers import rotate_key

    world = f.make_world()
    application = f.submitted(world)
    log_integrate(actor=WORKER)
    rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)  # signs the same tree again with the new key
    steps = [entry.event_id for entry in timeline(application)]
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    world.applicant.language = "en"
    world.applicant.save(update_fields=["language"])

    page = browser_context.new_page()
    sign_in(page, base, world.applicant.email)
    page.goto(f"{base}/applications/{application.pk}/")
    marks = page.locator("[data-ledger-event]")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ledger-event]')]"
        ".every(m => ['verified', 'verified-inclusion', 'failed'].includes(m.dataset.ledgerState))"
    )
    assert marks.locator(".ledger-status").all_inner_texts() == ["verified ✓"] * len(steps)
