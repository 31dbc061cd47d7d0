"""An applicant applies for a passport and uploads documents; an officer asks for a correction;
the applicant fixes it; the officer approves; public tracking shows the timeline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.tests.factories import PASSWORD, current_code
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str, code: str | None = None) -> None:
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Continue").click()


def test_apply_correct_approve_and_track(
    browser_context: Any, live_server: Any, artifacts: Path, tmp_path: Path
) -> None:
    world = f.make_world()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(f.pdf_bytes())
    fake = tmp_path / "setup.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)

    # The applicant finds the service and applies.
    page = browser_context.new_page()
    sign_in(page, base, world.applicant.email)
    page.goto(base + "/services/paspor-biasa/")
    page.get_by_role("link", name="Apply online").click()
    page.get_by_label("Kantor Imigrasi Mesuji").check()
    page.get_by_role("button", name="Start the application").click()

    answers = f.passport_answers()
    page.get_by_role("heading", name="About the applicant").wait_for()
    page.get_by_label("Full name", exact=True).fill(answers["full_name"])
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Date of birth").fill(answers["date_of_birth"])
    page.get_by_label("Place of birth").fill(answers["place_of_birth"])
    page.get_by_label("NIK").fill("3171011508900")
    page.get_by_label("Mother's full name").fill(answers["mother_name"])
    page.get_by_role("button", name="Save and continue", exact=True).click()
    page.get_by_text("A NIK has exactly 16 digits.").first.wait_for()
    assert page.get_by_label("Mother's full name").input_value() == answers["mother_name"]
    page.get_by_label("NIK").fill(answers["nik"])
    page.get_by_role("button", name="Save and continue", exact=True).click()

    page.get_by_role("heading", name="Address and contact").wait_for()
    page.get_by_label("Address").fill(answers["address"])
    # Checked as the applicant goes: leaving the field shows what is wrong, before any submit.
    page.get_by_label("Postal code").fill("0123")
    page.get_by_label("Mobile phone number").focus()
    page.get_by_text("An Indonesian postal code has 5 digits").wait_for()
    page.get_by_label("Postal code").fill(answers["postal_code"])
    page.get_by_label("Mobile phone number").fill(answers["phone"])
    page.get_by_role("button", name="Save and continue", exact=True).click()

    page.get_by_role("heading", name="Travel and previous passport").wait_for()
    page.get_by_label("Tourism or family visit").check()
    page.get_by_label("This is my first passport").check()
    # The previous passport's questions hide when there is none.
    assert not page.get_by_label("Previous passport number").is_visible()
    page.get_by_role("button", name="Save and continue", exact=True).click()

    page.get_by_role("heading", name="Documents", exact=True).wait_for()
    slots = page.locator("section.slot")
    # A program renamed to .pdf is refused with a clear message.
    slots.first.locator("input[type=file]").set_input_files(str(fake))
    slots.first.get_by_role("button", name="Upload").click()
    # Said at the top, where the page opens on a phone, and at the slot itself.
    page.locator("#upload-errors").get_by_text("not a PDF, JPEG or PNG").wait_for()
    assert page.locator("#upload-errors").bounding_box()["y"] < 740
    slots.first.get_by_text("not a PDF, JPEG or PNG").wait_for()
    for index in range(page.locator("section.slot").count()):
        slot = page.locator("section.slot").nth(index)
        slot.locator("input[type=file]").set_input_files(str(scan))
        slot.get_by_role("button", name="Upload").click()
        page.get_by_text("Document uploaded.").wait_for()
    page.screenshot(path=str(artifacts / "e2e-application-documents.png"), full_page=True)
    page.get_by_role("link", name="Continue to review").click()
    page.get_by_label(re.compile("I declare that the data")).check()
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_text("Your application was submitted.").wait_for()
    page.get_by_text("Pay the fee of").wait_for()
    application = Application.objects.get(applicant=world.applicant)
    number = str(application.number)

    # The officer records the bank payment, starts verification and asks for a better scan.
    officer_page = browser_context.browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US"
    ).new_page()
    officer_page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    device = TOTPDevice.objects.get(user=world.officer)
    sign_in(officer_page, base, world.officer.email, current_code(device))
    officer_page.get_by_role("link", name="Applications").first.click()
    officer_page.get_by_role("link", name=number).click()
    officer_page.get_by_label("Receipt number (or NTPN)").fill("BRI-778899")
    officer_page.get_by_label("Amount (rupiah)").fill("350.000")
    officer_page.get_by_label("Paid on").fill(application.submitted_at.astimezone().strftime("%d/%m/%Y"))  # type: ignore[union-attr]
    officer_page.get_by_role("button", name="Record the payment").click()
    officer_page.get_by_text("Payment recorded.").wait_for()
    officer_page.get_by_role("button", name="Start verification").click()
    officer_page.get_by_text("Done. The application is now “Documents being verified”.").wait_for()
    first_slot = officer_page.locator("#corr-heading ~ form input[type=checkbox]").first
    first_slot.check()
    officer_page.locator("#corr-heading ~ form input[type=text]").first.fill(
        "The scan is blurred; scan it again."
    )
    officer_page.get_by_role("button", name="Send the correction request").click()
    officer_page.get_by_text("Corrections requested").wait_for()
    officer_page.screenshot(path=str(artifacts / "e2e-officer-case.png"), full_page=True)

    # The applicant sees what to fix, replaces the scan and sends it back.
    page.goto(base + f"/applications/{application.pk}/")
    page.get_by_text("The scan is blurred; scan it again.").first.wait_for()
    page.get_by_role("link", name="Fix and send back").click()
    page.get_by_role("link", name=re.compile("Upload a new file")).click()
    page.locator("section.slot").first.locator("input[type=file]").set_input_files(str(scan))
    page.locator("section.slot").first.get_by_role("button", name="Upload").click()
    page.get_by_text("Document uploaded.").wait_for()
    page.get_by_role("link", name="Back to the corrections").click()
    page.get_by_role("button", name="Send the corrections to the office").click()
    page.get_by_text("Your corrections were sent to the office.").wait_for()

    # The officer verifies each document, records the interview and approves.
    officer_page.reload()
    while officer_page.get_by_role("button", name="Mark verified").count():
        officer_page.get_by_role("button", name="Mark verified").first.click()
        officer_page.locator(".messages").get_by_text("Document verified.").wait_for()
    for action, state in (
        ("Documents complete: invite to interview", "Awaiting interview and biometrics"),
        ("Interview and biometrics done", "In review"),
        ("Approve", "Approved"),
    ):
        officer_page.get_by_role("button", name=action, exact=True).click()
        officer_page.locator(".messages").get_by_text(f"Done. The application is now “{state}”.").wait_for()

    # Anyone with the number and birth date sees the timeline, without personal data.
    tracker = browser_context.new_page()
    tracker.goto(base + "/track/")
    tracker.get_by_label("Application number").fill(number)
    tracker.get_by_label("Date of birth of the applicant").fill("15/08/1990")
    tracker.get_by_role("button", name="Show the status").click()
    tracker.get_by_role("heading", name=number).wait_for()
    timeline = tracker.locator("ol.timeline").inner_text()
    for text in (
        "Application submitted.",
        "Payment received.",
        "The officer asked for corrections.",
        "Application approved.",
    ):
        assert text in timeline
    assert "Budi" not in tracker.content()
    tracker.screenshot(path=str(artifacts / "e2e-tracking.png"), full_page=True)
