"""The assistant in a browser (360 px wide, in English where the page has its own words): a
visitor asks about a lost passport in everyday Indonesian in the chat box and gets the answer in
place, with its source and its fee; asks what it cannot answer, hands the question to an office
(through sign-in, the text kept) with a file; an officer opens the file (the read logged) and
answers in the back office; the person reads the answer in the inbox. Without JavaScript the same
box answers on the /bantuan/ page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.demo import DEMO_PASSWORD
from gerbang.accounts.models import User
from gerbang.accounts.tests.factories import current_code
from gerbang.applications.tests.factories import photo_bytes
from gerbang.assistant.models import Turn
from gerbang.core.models import Event
from gerbang.core.tests import demo_snapshot
from gerbang.feedback.models import Consultation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

APPLICANT = "pemohon@gerbang.test"
OFFICER = "petugas.mesuji@gerbang.test"
UNANSWERABLE = "paspor dinas untuk pns gimana"


def sign_in(page: Any, email: str, code: str | None = None) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Continue").click()


def ask_in_the_box(page: Any, question: str) -> Any:
    box = page.locator("aside.assistant-box")
    if not box.locator("details").first.evaluate("element => element.open"):
        box.get_by_text("Questions? Ask the assistant").click()
    field = box.get_by_label("Your question")
    field.fill(question)
    field.press("Enter")
    answer = box.locator("#assistant-box-answer article.assistant-answer")
    answer.get_by_text(question).wait_for()
    return answer


def test_ask_hand_over_and_read_the_answer(
    browser_context: Any, live_server: Any, artifacts: Path, tmp_path: Path
) -> None:
    demo_snapshot.load_demo()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()

    # A lost passport, in everyday Indonesian: the answer comes in place, in Indonesian, with
    # its source and the fee.
    page.goto(base + "/services/")
    # What a screen reader is told: "looking" while the answer is on its way (the area busy),
    # then the answer, in a labelled live region.
    area = page.locator("#assistant-box-answer")
    assert area.get_attribute("aria-live") == "polite"
    assert (
        area.get_attribute("role") == "region"
        and area.get_attribute("aria-label") == "The assistant's answer"
    )
    area.evaluate(
        """(area) => {
            window.__told = [];
            new MutationObserver(() => window.__told.push(
                [area.getAttribute("aria-busy"), area.querySelector("[role=status]")?.textContent || ""]
            )).observe(area, {attributes: true, childList: true, subtree: true});
        }"""
    )
    answer = ask_in_the_box(page, "paspor sy ilang gmn")
    told = page.evaluate("window.__told")
    assert ["true", "Looking for an answer…"] in told
    assert area.get_attribute("aria-busy") is None
    assert answer.get_attribute("aria-label") == "Jawaban asisten"  # in the answer's language
    assert answer.get_attribute("data-kind") == "answer"
    assert answer.get_attribute("lang") == "id"
    assert page.url == base + "/services/"  # answered in place, no page load
    answer.get_by_text("Laporkan kehilangan ke kantor polisi", exact=False).first.wait_for()
    source = answer.locator(".assistant-source a").first
    assert source.get_attribute("href").startswith("/faq/#faq-paspor-hilang")
    # The answer itself carries the catalogue's fee of the service it is about.
    answer.locator(":scope > ul.assistant-facts").get_by_text(re.compile(r"Rp 1\.350\.000")).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "e2e-assistant-answer.png"), full_page=True)
    # The box is empty again for the next question.
    field = page.locator("aside.assistant-box").get_by_label("Your question")
    assert field.input_value() == ""

    # Too long: refused with its length, and nothing pasted is cut or lost.
    long_question = "paspor saya hilang " * 40
    field.fill(long_question)
    field.press("Enter")
    page.locator("#assistant-box-answer .form-errors").get_by_text(re.compile(r"500")).wait_for()
    assert field.input_value() == long_question

    # Something it cannot answer: it says so, offers the closest topics and an office.
    unsure = ask_in_the_box(page, UNANSWERABLE)
    assert unsure.get_attribute("data-kind") == "unsure"
    # (Answered in the question's language, Indonesian, whatever the page's.)
    unsure.get_by_text("Saya tidak yakin").wait_for()
    assert unsure.locator(".assistant-suggestions a").count() >= 2
    page.screenshot(path=str(artifacts / "e2e-assistant-unsure.png"), full_page=True)
    unsure.get_by_role("link", name="Tanya kantor imigrasi").click()

    # Not signed in: through sign-in, and back to the form with the question filled in.
    page.get_by_label("Email address").wait_for()
    sign_in(page, APPLICANT)
    # (The demo applicant's account is in Indonesian: the form is read by its fields' ids.)
    page.wait_for_url(re.compile(r"/consultations/new/"))
    assert page.locator("#id_body").input_value() == UNANSWERABLE
    assert page.locator("#id_subject").input_value() == UNANSWERABLE
    page.locator("#id_office").select_option("mesuji")
    page.locator("#id_topic").select_option("other")
    letter = tmp_path / "surat-tugas.png"
    letter.write_bytes(photo_bytes(fmt="PNG"))
    page.locator("#id_attachments").set_input_files(str(letter))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/consultations/\d+/$"))
    consultation = Consultation.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert consultation.asker.email == APPLICANT
    assert UNANSWERABLE in consultation.subject
    attachment = consultation.attachments.get()
    assert attachment.name == "surat-tugas.png"
    page.get_by_role("link", name="surat-tugas.png").wait_for()
    # What the assistant kept of the question carries no personal data, and no account.
    assert Turn.objects.filter(question=UNANSWERABLE, kind="unsure").exists()

    # An officer answers in the back office.
    office_context = browser_context.browser.new_context(
        viewport={"width": 1024, "height": 800}, locale="en-US"
    )
    office_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    officer_page = office_context.new_page()
    officer_page.goto(base + "/account/login/")
    officer = User.objects.get(email=OFFICER)
    sign_in(officer_page, OFFICER, current_code(TOTPDevice.objects.get(user=officer)))
    officer_page.goto(f"{base}/backoffice/consultations/{consultation.pk}/")
    # The asker's file opens for the office, and the read is logged.
    href = officer_page.get_by_role("link", name="surat-tugas.png").get_attribute("href")
    assert officer_page.request.get(base + href).headers["content-type"] == "image/png"
    assert Event.objects.filter(
        code="consultation.attachment_viewed", details__attachment=attachment.pk
    ).exists()
    officer_page.locator("#reply textarea").fill(
        "Hewan peliharaan diurus oleh Badan Karantina Indonesia, bukan oleh imigrasi."
    )
    officer_page.locator("#reply button[type=submit]").click()  # (the demo officer reads Indonesian)
    officer_page.get_by_text("Badan Karantina Indonesia").first.wait_for()
    assert officer_page.locator("aside.assistant-box").count() == 0  # no chat box for staff work
    office_context.close()

    # The person reads the answer in the inbox.
    page.goto(base + "/account/inbox/")
    page.get_by_text(UNANSWERABLE).first.wait_for()
    page.screenshot(path=str(artifacts / "e2e-assistant-inbox.png"), full_page=True)


def test_without_javascript_the_box_answers_on_the_help_page(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    """The chat box is a plain form: with scripts off it posts to /bantuan/, which answers."""
    demo_snapshot.load_demo()
    base = live_server.url
    context = browser_context.browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="en-US"
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = context.new_page()
    page.goto(base + "/faq/")
    page.locator("aside.assistant-box summary").click()
    page.locator("aside.assistant-box").get_by_label("Your question").fill("berapa biaya paspor")
    page.locator("aside.assistant-box").get_by_role("button", name="Ask").click()
    page.wait_for_url(base + "/bantuan/")
    answer = page.locator("#assistant-answer article.assistant-answer")
    assert answer.get_attribute("data-kind") == "answer"
    answer.get_by_text(re.compile(r"Rp 350\.000")).first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "e2e-assistant-no-script.png"), full_page=True)
    context.close()
