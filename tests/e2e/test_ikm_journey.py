"""The satisfaction index (IKM): a person served at Mesuji finds the questionnaire on their
dashboard, answers it on a 360 px phone (a missing answer named, the others kept), the hourly
aggregation runs, and the office's IKM page shows the new figure; the questionnaire and the
office's page pass axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.catalog.demo import load_services
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import WORKER
from gerbang.ikm import services, tasks
from gerbang.ikm.models import Response, Result
from gerbang.ikm.periods import Period
from gerbang.ikm.tests.conftest import answers, invite
from tests.e2e.test_accessibility import audit
from tests.e2e.test_accessibility import sign_in as staff_sign_in
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANSWERS = [
    ("How well do the service's requirements suit the kind of service?", "Very suitable"),
    ("How easy is the service's procedure at this unit?", "Easy"),
    ("How fast was the service given?", "Less fast"),
    ("How reasonable is the cost or fee of the service?", "Cheap"),
    ("How well does what you received match the product listed in the service standard?", "Suitable"),
    ("How competent were the staff who served you?", "Very competent"),
    ("How polite and friendly were the staff who served you?", "Very polite and friendly"),
    ("How are complaints of the service's users handled?", "It is well managed"),
    # The facilities (U9) are left out at first.
]


def test_answer_the_survey_and_see_the_office_figure(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    person = UserFactory.create(email="warga@example.test")
    invitation = invite(office=office, person=person)
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()

    sign_in(page, base, person.email)
    page.goto(f"{base}/account/")
    page.get_by_role("heading", name="Satisfaction survey (IKM): nine short questions, anonymous").wait_for()
    page.get_by_role("link", name="Visit to an office · Kantor Imigrasi Mesuji").click()
    assert page.url.endswith(f"/ikm/survey/{invitation.token}/")
    assert audit(page, axe_source, page.url) == []

    for question, answer in ANSWERS:
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("group", name="Your age").get_by_label("30-39").check()
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_role("group", name="Your highest education").get_by_label("Bachelor's degree (S1)").check()
    page.get_by_role("group", name="Your main occupation").get_by_label("Self-employed").check()
    page.get_by_role("button", name="Send my answers").click()

    # The missing answer is named; everything else is still chosen.
    page.get_by_role("link", name="What is the quality of the facilities and infrastructure?").wait_for()
    assert page.locator("#id_u9_error").inner_text() == "Choose one of the answers."
    assert page.get_by_role("group", name=ANSWERS[2][0]).get_by_label("Less fast").is_checked()
    assert page.get_by_role("group", name="Your main occupation").get_by_label("Self-employed").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("group", name="What is the quality of the facilities and infrastructure?").get_by_label(
        "Good", exact=True
    ).check()
    page.screenshot(path=str(artifacts / "e2e-ikm-survey.png"), full_page=True)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("your answers were received").wait_for()
    assert Response.objects.count() == 1

    # The hourly task runs; the office's page shows the figure:
    # NRR 4, 3, 2, 3, 3, 4, 4, 4, 3 (Σ 30) x 0.111 x 25 = 83.25, grade B.
    tasks.compute_ikm_results.call_local()
    assert Result.objects.filter(office=office).exists()
    page.goto(f"{base}/ikm/mesuji/")
    assert page.locator("#ikm-value").inner_text() == "83.25"
    assert "U3 Completion time" in page.locator("#lowest-element").inner_text()
    assert page.locator("#sample-warning").count() == 0  # one served, one answered
    assert audit(page, axe_source, page.url) == []
    page.screenshot(path=str(artifacts / "e2e-ikm-office.png"), full_page=True)

    # The dashboard no longer offers it.
    page.goto(f"{base}/account/")
    assert (
        page.get_by_role("heading", name="Satisfaction survey (IKM): nine short questions, anonymous").count()
        == 0
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_overview_and_the_staff_page_pass_axe(
    browser_context: Any, live_server: Any, axe_source: str, language: str
) -> None:
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    for scores in ((4, 4, 3, 4, 4, 4, 4, 4, 4), (3, 3, 2, 3, 3, 3, 3, 3, 3)):
        services.response_submit(invitation=invite(office=office), answers=answers(*scores), actor=WORKER)
    invite(office=office)
    services.results_compute(actor=WORKER)
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    staff_sign_in(browser_context, staff(Role.SUPERVISOR, [office]))
    page = browser_context.new_page()
    problems = []
    for path in (
        "/ikm/",
        "/ikm/mesuji/?period=" + Period.containing("month", timezone.localdate()).slug,
        "/ikm/national/",
        "/backoffice/ikm/",
    ):
        problems += audit(page, axe_source, base + path)
        # At 360 px every column of the figures is on screen (no table to scroll sideways), on
        # the public pages and the staff page alike.
        clipped = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')]"
            ".filter(w => w.scrollWidth > w.clientWidth).map(w => w.firstElementChild.id)"
        )
        assert clipped == [], (path, clipped)
    assert problems == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_per_service_table_fits_a_360_px_phone(
    browser_context: Any, live_server: Any, artifacts: Path, language: str
) -> None:
    """Trial 20, finding 4: in Indonesian the per-service table (long service names, the
    "below the minimum sample" flag, the one-word heading "Responden") was 15 px too wide at
    360 px, its last column cut. Every column is on screen, and the page never scrolls sideways."""
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    catalogue = {s.code: s for s in load_services()}
    for code in ("paspor-biasa", "e-paspor", "paspor-penggantian"):
        service = catalogue[code]
        services.response_submit(
            invitation=invite(office=office, service=service), answers=answers(), actor=WORKER
        )
        # More people served than answered: the row carries the "below the minimum sample" flag.
        for _ in range(3):
            invite(office=office, service=service)
    services.results_compute(actor=WORKER)
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = browser_context.new_page()
    for path in ("/ikm/national/", "/ikm/mesuji/"):
        page.goto(base + path)
        table = page.locator("#ikm-services")
        assert table.locator("tbody tr").count() == 3, path
        assert table.locator(".flag").count() == 3, path
        clipped = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')]"
            ".filter(w => w.scrollWidth > w.clientWidth).map(w => w.firstElementChild.id)"
        )
        assert clipped == [], (path, clipped)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        page.screenshot(
            path=str(artifacts / f"e2e-ikm-services-{language}-{path.strip('/').replace('/', '-')}.png")
        )
