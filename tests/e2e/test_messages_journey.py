"""Messages where people look: an officer's refused action is said at the button pressed, on a
case page with a bar of its sections; a rejection asks for what it requires; the applicant's cards
say whose turn it is; the review page shows the fee with the declaration as a checkbox; an inbox
message links the site's address and fits a phone; the audit log reads as sentences."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import current_code, staff
from gerbang.applications import selectors, services
from gerbang.applications.tests import factories as f
from gerbang.core.formatting import rupiah
from gerbang.feedback import services as feedback
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def in_view(page: Any, locator: Any) -> bool:
    """Whether the element is within the window as the page now shows it."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height


def test_a_refused_action_is_said_where_the_officer_looks(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    world = f.make_world()
    application = f.in_verification(world)  # no document verified yet
    base = live_server.url
    officer = browser_context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    officer.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = officer.new_page()
    sign_in(page, base, world.officer.email, current_code(TOTPDevice.objects.get(user=world.officer)))
    page.goto(f"{base}/backoffice/cases/{application.pk}/")

    # The page names its sections; the bar stays in view while scrolling down a long case.
    bar = page.get_by_role("navigation", name="On this page")
    for section in ("Actions", "Answers", "Documents", "Request corrections", "History"):
        bar.get_by_role("link", name=section).wait_for()
    bar.get_by_role("link", name="History").click()
    assert page.evaluate("window.scrollY") > 0
    assert in_view(page, bar)

    # Pressing an action that the workflow refuses: the answer opens at the button, saying why.
    page.get_by_role("button", name="Documents complete: invite to interview").click()
    refusal = page.locator("#act-send_to_interview").get_by_text("Every document must be verified first.")
    refusal.wait_for()
    assert page.url.endswith("#act-send_to_interview")
    assert in_view(page, refusal)
    page.screenshot(path=str(artifacts / "e2e-case-refusal.png"))
    # The same is summarised at the top with a link to the form.
    summary = page.locator("#error-summary")
    summary.get_by_role("link", name="Every document must be verified first.").click()
    assert in_view(page, page.locator("#act-send_to_interview"))

    # A rejection: what the workflow requires is not called optional, and leaving it out is said
    # at the field, with the explanation kept.
    reject = page.locator("#act-reject")
    assert "optional" not in reject.inner_text()
    reject.get_by_label("Explanation for the applicant").fill("The photo is not of the applicant.")
    reject.get_by_role("button", name="Reject").click()
    error = page.locator("#act-reject").get_by_text("Choose the reason for the refusal.")
    error.wait_for()
    assert in_view(page, error)
    assert (
        page.locator("#act-reject").get_by_label("Explanation for the applicant").input_value()
        == "The photo is not of the applicant."
    )
    # Done: the page opens at its top, where the message and the new state are.
    page.locator("#documents").get_by_role("button", name="Mark verified").first.click()
    done = page.locator(".messages").get_by_text("Document verified.")
    done.wait_for()
    assert in_view(page, done)
    officer.close()


def test_the_applicant_sees_whose_turn_it_is_the_fee_and_a_readable_inbox(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    world = f.make_world()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    to_pay = f.submitted(world)
    draft = f.draft(world, answers=f.passport_answers(nik="3171011508900002"))
    f.upload_all(draft)
    consultation = feedback.consultation_open(
        asker=world.applicant,
        office=world.office,
        topic="payment",
        subject="Paying at the post office",
        body="Can I pay the billing code at a post office counter?",
    )
    long_address = (
        f"{base}/guides/" + "how-to-pay-the-billing-code-at-a-post-office-counter-" * 3 + "/?from=answer"
    )
    feedback.consultation_answer(
        consultation=consultation,
        body=f"Yes. The steps are here: {long_address}. Do not pay at https://evil.example/pay.",
        actor=world.officer,
    )
    page = browser_context.new_page()  # 360 px wide
    sign_in(page, base, world.applicant.email)

    # The dashboard's cards say which application waits for the person, and for what.
    page.goto(base + "/account/")
    cards = page.locator("li.card")
    pay_card = cards.filter(has=page.locator(f'a[href="/applications/{to_pay.pk}/"]'))
    pay_card.get_by_text("Your turn").wait_for()
    pay_card.get_by_role("link", name=re.compile("Payment due")).wait_for()
    draft_card = cards.filter(has=page.locator(f'a[href="/applications/{draft.pk}/"]'))
    draft_card.get_by_role("link", name=re.compile("Finish and submit")).wait_for()
    page.screenshot(path=str(artifacts / "e2e-dashboard-cards.png"), full_page=True)

    # The review page shows the fee; the declaration is a checkbox before its own text.
    page.goto(f"{base}/applications/{draft.pk}/review/")
    terms = selectors.submission_terms(draft)
    assert terms is not None
    with translation.override("en"):
        fee = rupiah(terms.fee)
    page.locator("#fee-heading ~ p").get_by_text(fee).wait_for()
    box = page.get_by_role("checkbox", name=re.compile("I declare that the data"))
    label = page.get_by_text(re.compile("^I declare that the data"))
    assert box.bounding_box()["x"] < label.bounding_box()["x"]
    label.click()  # the text is the checkbox's label
    assert box.is_checked()

    # The inbox: the site's own address is a link, another site's is not, and nothing overflows.
    page.goto(base + "/account/inbox/")
    item = page.locator("ul.inbox li").filter(has_text="Paying at the post office").first
    link = item.get_by_role("link", name=long_address)
    assert link.get_attribute("href") == long_address
    assert item.get_by_role("link", name=re.compile("evil.example")).count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "e2e-inbox-links.png"), full_page=True)
    # The same answer on the question's page.
    page.goto(f"{base}/consultations/{consultation.pk}/")
    assert page.get_by_role("link", name=long_address).get_attribute("href") == long_address
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_audit_log_reads_as_sentences(browser_context: Any, live_server: Any) -> None:
    world = f.make_world()
    application = f.in_verification(world)
    services.application_transition(
        application=application,
        action="reject",
        actor=world.officer,
        expected_version=application.version,
        reason_code="data_mismatch",
        reason="The birth date differs.",
    )
    auditor = staff(Role.AUDITOR, language="id")
    base = live_server.url
    context = browser_context.browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = context.new_page()
    sign_in(page, base, auditor.email, current_code(TOTPDevice.objects.get(user=auditor)))
    page.goto(base + "/backoffice/audit/")
    table = page.locator("table")
    table.get_by_text(
        re.compile("Permohonan ditolak. Dari “Dokumen sedang diverifikasi” menjadi “Ditolak”.")
    ).wait_for()
    assert "application.reject" not in table.inner_text()
    assert "reason_code" not in table.inner_text()
