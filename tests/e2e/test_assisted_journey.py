"""An officer completes an assisted application for a walk-in person without an email address
(consent signed on the screen, the same form and documents, submitted); the person receives the
SMS with the take-over code, takes the case over online and sees it as their own."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.applications.models import Application, AssistedIntake
from gerbang.applications.tests import factories as f
from gerbang.simulators.models import SimulatedSms
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_applies_for_a_person_without_email_who_takes_it_over(
    browser_context: Any, live_server: Any, artifacts: Path, tmp_path: Path
) -> None:
    from gerbang.accounts.tests.factories import current_code

    world = f.make_world()
    base = live_server.url
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(f.pdf_bytes())
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(f.photo_bytes())
    answers = f.passport_answers(full_name="Wayan Sudarma", phone="0812 1111 2222")

    # The officer, on a tablet-sized screen at the counter.
    officer = browser_context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    officer.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = officer.new_page()
    sign_in(page, base, world.officer.email, current_code(TOTPDevice.objects.get(user=world.officer)))
    page.goto(f"{base}/backoffice/assisted/")
    page.get_by_role("link", name="New assisted application").click()

    # Consent first: signed on the pad (the script shows it), then the person and the service.
    page.get_by_label("Signature on the screen").check()
    canvas = page.locator("[data-signature-canvas]")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 30, box["y"] + 120)
    page.mouse.down()
    for x, y in ((90, 40), (160, 110), (240, 50), (320, 120)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()
    page.get_by_label("Full name of the person").fill("Wayan Sudarma")
    page.get_by_label("Mobile number").fill("0812 1111 2222")
    page.get_by_label("Service").select_option(value=str(world.service("paspor-biasa").pk))
    page.get_by_role("button", name="Record the consent and start").click()
    page.get_by_text("Consent recorded.").wait_for()
    page.locator(".assisted-banner").get_by_text("Wayan Sudarma").wait_for()

    # The same guided form as self-service.
    page.get_by_role("heading", name="About the applicant").wait_for()
    page.get_by_label("Full name", exact=True).fill(answers["full_name"])
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Date of birth").fill(answers["date_of_birth"])
    page.get_by_label("Place of birth").fill(answers["place_of_birth"])
    page.get_by_label("NIK").fill(answers["nik"])
    page.get_by_label("Mother's full name").fill(answers["mother_name"])
    page.get_by_role("button", name="Save and continue", exact=True).click()
    page.get_by_role("heading", name="Address and contact").wait_for()
    page.get_by_label("Address").fill(answers["address"])
    page.get_by_label("Postal code").fill(answers["postal_code"])
    page.get_by_label("Mobile phone number").fill(answers["phone"])
    page.get_by_role("button", name="Save and continue", exact=True).click()
    page.get_by_role("heading", name="Travel and previous passport").wait_for()
    page.get_by_label("Tourism or family visit").check()
    page.get_by_label("This is my first passport").check()
    page.get_by_role("button", name="Save and continue", exact=True).click()

    # Documents from the office scanner (or the camera: the inputs ask for it).
    page.get_by_role("heading", name="Documents", exact=True).wait_for()
    assert page.locator("section.slot input[type=file]").first.get_attribute("capture") == "environment"
    for index in range(page.locator("section.slot").count()):
        slot = page.locator("section.slot").nth(index)
        is_photo = "image/png" in (slot.locator("input[type=file]").get_attribute("accept") or "") and (
            "application/pdf" not in (slot.locator("input[type=file]").get_attribute("accept") or "")
        )
        slot.locator("input[type=file]").set_input_files(str(photo if is_photo else scan))
        slot.get_by_role("button", name="Upload").click()
        # This slot's own file shown (the message alone may still be the previous upload's).
        page.locator("section.slot").nth(index).get_by_role("link", name="Uploaded file").wait_for()
    page.get_by_role("link", name="Continue to review").click()
    page.get_by_role("heading", name="Review and submit").wait_for()
    assert page.get_by_text("Before you can submit").count() == 0
    page.get_by_label(re.compile("The person confirmed to me")).check()
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_text("Print the summary for the person.").wait_for()
    code = page.locator("[data-takeover-code]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    page.screenshot(path=str(artifacts / "e2e-assisted-summary.png"), full_page=True)
    application = Application.objects.get(assisted__isnull=False)
    number = str(application.number)
    assert application.applicant.email == ""
    pdf = page.request.get(f"{base}/backoffice/assisted/{application.pk}/summary.pdf?lang=id")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    officer.close()

    # The person's phone got the SMS with the code (the SMS gateway simulator).
    texts = list(SimulatedSms.objects.filter(to="+6281211112222").values_list("text", flat=True))
    assert any(code in text and number in text for text in texts), texts
    assert any("Gerbang" in text and number in text and code not in text for text in texts)

    # At home, on a phone (360 px): the person takes the case over online.
    person = browser_context.new_page()
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    person.goto(f"{base}/applications/take-over/")
    person.get_by_label("Application number").fill(number)
    person.get_by_label("Take-over code").fill("AAAA-AAAA")
    person.get_by_label("Your email address").fill("wayan@contoh.id")
    person.get_by_label("Choose a password").fill("kebun kopi di bali")
    person.get_by_role("button", name="Take over the application").click()
    person.get_by_text("the code was used or expired").wait_for()
    assert person.get_by_label("Your email address").input_value() == "wayan@contoh.id"
    person.get_by_label("Take-over code").fill(code.lower())
    person.get_by_label("Choose a password").fill("kebun kopi di bali")
    person.get_by_role("button", name="Take over the application").click()
    person.get_by_text("The application is yours online now.").wait_for()
    person.get_by_text(number).first.wait_for()
    person.get_by_text("You took the application over online.").wait_for()
    person.get_by_text("Entered by an officer at the office on your behalf.").first.wait_for()
    assert person.evaluate("document.documentElement.scrollWidth") <= 360
    person.screenshot(path=str(artifacts / "e2e-assisted-taken-over.png"), full_page=True)
    assert AssistedIntake.objects.get(application=application).taken_over_at is not None


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_assisted_pages_pass_axe_and_fit_a_phone(
    browser_context: Any, page: Any, axe_source: str, live_server: Any, language: str
) -> None:
    """The officer's pages of an assisted draft (consent, a step, documents, review), its
    summary once submitted, and the public take-over page."""
    from gerbang.applications import services
    from gerbang.applications.tests.test_assisted import entered, submitted
    from tests.e2e.test_accessibility import audit
    from tests.e2e.test_accessibility import sign_in as session_of

    world = f.make_world()
    world.officer.language = language
    world.officer.save()
    draft = entered(world)
    done = submitted(world)
    assert done.state != "draft" and services.TAKEOVER_DAYS
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    problems = audit(page, axe_source, f"{base}/applications/take-over/")
    session_of(browser_context, world.officer)
    for path in (
        "/backoffice/assisted/",
        "/backoffice/assisted/new/",
        f"/backoffice/assisted/{draft.pk}/step/identity/",
        f"/backoffice/assisted/{draft.pk}/documents/",
        f"/backoffice/assisted/{draft.pk}/review/",
        f"/backoffice/assisted/{done.pk}/summary/",
    ):
        problems += audit(page, axe_source, base + path)
    assert not problems, "\n".join(problems)
