"""A complaint filed anonymously on a phone and followed with its code: the form, the code shown
once, the office's officer verifying and answering in the back office (seeing no identity), the
reporter reading the answer with the code in another browser and confirming it is resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import current_code, staff
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.tests import demo_snapshot
from gerbang.feedback.models import Report, ReportStatus
from tests.e2e.test_accessibility import audit_shown
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_file_a_complaint_anonymously_and_follow_it_with_the_code(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    officer = staff(Role.OFFICER, [office], full_name="Petugas Satu")
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()

    # The form, on a 360 px phone, not signed in: anonymous is the only choice.
    page.goto(f"{base}/lapor/")
    page.get_by_label("Complaint").check()
    page.get_by_label("What is it about?").select_option("brokers")
    page.get_by_label("Which office is it about?").select_option("mesuji")
    page.get_by_label("Subject").fill("Brokers at the entrance")
    # Too short first: the page says what to fix and keeps what was typed.
    page.get_by_label("What happened, or what you propose or want to know").fill("Brokers")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Write your message in at least 10 characters").wait_for()
    assert page.get_by_label("Subject").input_value() == "Brokers at the entrance"
    assert page.get_by_label("What is it about?").input_value() == "brokers"
    page.get_by_label("What happened, or what you propose or want to know").fill(
        "Men at the entrance offer to speed up passports for money, every morning this week."
    )
    assert page.get_by_label("Anonymous: nobody knows who I am (follow it with a secret code)").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Send the report").click()

    # The code, shown once.
    code = page.locator("#follow-code").inner_text().strip()
    assert len(code) == 19
    page.screenshot(path=str(artifacts / "e2e-complaint-code.png"), full_page=True)
    assert audit_shown(page, axe_source) == []
    report = Report.objects.get()
    assert report.reporter is None and report.status == ReportStatus.SUBMITTED
    assert report.topic == "brokers"
    page.reload()
    assert "/lapor/follow/" in page.url  # gone after being shown

    # The officer verifies and answers; the page names no reporter.
    desk = browser_context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    desk.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    staff_page = desk.new_page()
    sign_in(staff_page, base, officer.email, current_code(TOTPDevice.objects.get(user=officer)))
    staff_page.goto(f"{base}/backoffice/reports/")
    staff_page.get_by_role("link", name=report.reference).click()
    assert staff_page.locator("#reporter").inner_text() == "Anonymous reporter"
    staff_page.get_by_label("Verified: route it and set its tier").check()
    staff_page.get_by_label("Service-level tier").select_option("light")
    staff_page.get_by_role("button", name="Record the verification").click()
    staff_page.get_by_text("Verification recorded").wait_for()
    staff_page.get_by_label("Your message").fill(
        "Thank you. Security now guards the entrance and a notice says we use no brokers."
    )
    staff_page.get_by_role("button", name="Send the answer").click()
    staff_page.get_by_text("Your answer was sent").wait_for()

    # Another browser, another day: the code opens the report, the answer is there.
    later = browser_context.browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    later.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    follow = later.new_page()
    follow.goto(f"{base}/lapor/follow/")
    follow.get_by_label("Follow-up code").fill(code.lower())
    follow.get_by_role("button", name="Open the report").click()
    follow.get_by_text("Security now guards the entrance").wait_for()
    assert follow.locator("#report-status").inner_text() == "Answered"
    assert follow.evaluate("document.documentElement.scrollWidth") <= 360
    follow.screenshot(path=str(artifacts / "e2e-complaint-followed.png"), full_page=True)
    follow.get_by_role("button", name="Resolved: close my report").click()
    follow.get_by_text("The report is closed").wait_for()
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED


def test_report_pages_pass_axe_and_fit_a_phone(
    browser_context: Any, page: Any, axe_source: str, live_server: Any
) -> None:

    from gerbang.accounts.models import User
    from gerbang.feedback.demo import DEMO_CODE
    from tests.e2e.test_accessibility import audit
    from tests.e2e.test_accessibility import sign_in as reuse_session

    demo_snapshot.load_demo()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    problems: list[str] = []
    for url in ("/lapor/", "/lapor/follow/"):
        problems += audit(page, axe_source, base + url)
    page.goto(base + "/lapor/follow/")
    page.get_by_label("Follow-up code").fill(DEMO_CODE)
    page.get_by_role("button", name="Open the report").click()
    problems += audit(page, axe_source, base + "/lapor/follow/report/")
    siti = User.objects.get(email="pemohon@gerbang.test")
    reuse_session(browser_context, siti)
    own = list(Report.objects.filter(reporter=siti).values_list("pk", flat=True))
    for url in ("/lapor/", "/lapor/mine/", *(f"/lapor/{pk}/" for pk in own)):
        problems += audit(page, axe_source, base + url)
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    reuse_session(browser_context, User.objects.get(email="admin.nasional@gerbang.test"))
    every = list(Report.objects.values_list("pk", flat=True))
    for url in (
        "/backoffice/reports/",
        "/backoffice/reports/?status=all",
        "/backoffice/reports/counts/",
        *(f"/backoffice/reports/{pk}/" for pk in every),
    ):
        problems += audit(page, axe_source, base + url)
    assert problems == []
