"""A supervisor of two offices signs in with their second factor on a 360 px phone, opens the office
dashboard from the menu, follows the backlog number of a stage to the case list and finds as many
cases there, switches the period and the office, then reads it all in Indonesian; the dashboard
passes axe and fits the screen in both languages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import current_code, staff
from gerbang.analytics.tests import dashboard_world as w
from gerbang.applications.workflow import State
from tests.e2e.test_accessibility import audit
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def count(page: Any, selector: str) -> int:
    found = re.search(r"\d+", page.locator(selector).inner_text())
    assert found, selector
    return int(found.group())


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_follow_the_numbers_switch_period_office_and_language(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    world = w.make_world()
    today = timezone.localdate()
    days = dt.timedelta
    for n in range(3):
        world.case(f"verifying-{n}", State.IN_VERIFICATION, due=today + days(days=5 - 4 * n))
    world.case("review", State.IN_REVIEW, due=today - days(days=3))
    recent = timezone.now() - days(hours=1)
    older = timezone.now() - days(days=12)
    for name, when in (("recent", recent), ("older", older)):
        decided = world.case(name, State.REJECTED, due=today - days(days=20), decided_at=when)
        world.decide(decided, world.officer, when, action="reject")
    world.case("makassar", State.IN_REVIEW, office=world.makassar, due=today + days(days=3))
    supervisor = staff(
        Role.SUPERVISOR, [world.mesuji, world.makassar], full_name="Sri Supervisor", language="en"
    )

    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    sign_in(page, base, supervisor.email, current_code(TOTPDevice.objects.get(user=supervisor)))
    page.goto(f"{base}/backoffice/")
    page.get_by_role("link", name="Office dashboard").click()
    page.get_by_role(
        "heading", name="Office dashboard · Kantor Imigrasi Makassar"
    ).wait_for()  # first by name

    # Mesuji, the last 7 days.
    page.get_by_label("Office", exact=True).select_option("mesuji")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Office dashboard · Kantor Imigrasi Mesuji").wait_for()
    assert count(page, "#card-open .figure") == 4
    assert count(page, "#card-overdue .figure") == 2
    assert count(page, "#card-decisions .figure") == 1
    fits(page)
    assert audit(page, axe_source, page.url) == []
    page.screenshot(path=str(artifacts / "e2e-dashboard-office-en.png"), full_page=True)

    # The number of cases being verified opens the case list, which holds as many.
    stage = page.get_by_role("link", name="3 applications: Documents being verified")
    stage.click()
    page.get_by_role("heading", name="Applications").wait_for()
    assert page.locator("#case-count").inner_text() == "3 applications match."
    assert page.locator("tbody a.mono").count() == 3
    fits(page)
    page.go_back()
    page.get_by_role("link", name="2 overdue applications").click()
    assert page.locator("#case-count").inner_text() == "2 applications match."
    page.go_back()

    # The last 30 days: the older decision counts too, and both were late.
    page.get_by_label("Period", exact=True).select_option("30d")
    page.get_by_role("button", name="Show").click()
    page.locator("#card-decisions .figure").filter(has_text="2").wait_for()
    page.get_by_role("link", name="2 decisions after the due date").click()
    assert page.locator("#case-count").inner_text() == "2 applications match."
    page.go_back()
    page.get_by_role("link", name="2 decisions by Andi Pratama").click()
    assert page.locator("#case-count").inner_text() == "2 applications match."
    page.go_back()

    # The other office, in Indonesian.
    page.get_by_label("Office", exact=True).select_option("makassar")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Office dashboard · Kantor Imigrasi Makassar").wait_for()
    assert count(page, "#card-open .figure") == 1
    assert "(WITA)" in page.locator("#dashboard-span").inner_text()
    page.get_by_role("link", name="Bahasa Indonesia").click()
    page.get_by_role("heading", name="Dasbor kantor · Kantor Imigrasi Makassar").wait_for()
    assert page.get_by_label("Periode", exact=True).input_value() == "30d"
    page.get_by_role("link", name="1 permohonan: Sedang ditinjau").wait_for()
    fits(page)
    assert audit(page, axe_source, page.url) == []
    page.screenshot(path=str(artifacts / "e2e-dashboard-office-id.png"), full_page=True)
    page.get_by_role("link", name="1 permohonan: Sedang ditinjau").click()
    assert page.locator("#case-count").inner_text() == "1 permohonan sesuai."
