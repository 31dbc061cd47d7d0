"""A collected case leads to an invitation to rate: the applicant finds it in the inbox and on
the dashboard, rates the service with a review on a 360 px phone (a first try without stars is
refused and keeps the review), answers the IKM questionnaire offered with it (the office's index
shows the new figure once the aggregation runs), the office's moderator approves the review in
the back office, and the office's page shows it with the new average."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import current_code, staff
from gerbang.applications import services as cases
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.core.tests import demo_snapshot
from gerbang.ikm import tasks as ikm_tasks
from gerbang.notifications import services as notifications
from gerbang.notifications.models import InboxItem, OutboxMessage
from gerbang.satisfaction.models import Invitation, Rating, ReviewStatus
from tests.e2e.test_accessibility import audit
from tests.e2e.test_application_journey import sign_in
from tests.e2e.test_ikm_journey import ANSWERS as IKM_ANSWERS

IKM_U9 = "What is the quality of the facilities and infrastructure?"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REVIEW = "The officer explained everything and the passport was ready on time."


def test_a_collected_case_is_rated_moderated_and_shown_on_the_office_page(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    world = f.make_world()
    moderator = staff(Role.OFFICE_ADMIN, [world.office], full_name="Admin Mesuji")
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])

    # The officer hands the passport over: the case is collected.
    case = f.awaiting_appointment(world)
    for action in ("complete_interview", "approve", "mark_ready", "mark_collected"):
        current = Application.objects.get(pk=case.pk)
        cases.application_transition(
            application=current, action=action, actor=world.officer, expected_version=current.version
        )
    invitation = Invitation.objects.get(person=world.applicant)
    if not InboxItem.objects.filter(recipient=world.applicant).exists():
        notifications.message_dispatch(OutboxMessage.objects.get(kind="satisfaction.invited").pk)

    # The applicant, on a phone: the invitation in the inbox and on the dashboard.
    page = browser_context.new_page()
    sign_in(page, base, world.applicant.email)
    page.goto(f"{base}/account/")
    page.get_by_role("heading", name="Rate the service: stars and a short review").wait_for()
    page.goto(f"{base}/account/inbox/")
    page.get_by_role("heading", name="How was our service? Rate it in one minute").wait_for()
    item = page.locator(
        "li", has=page.get_by_role("heading", name="How was our service? Rate it in one minute")
    )
    item.get_by_role("link", name="Open").click()
    page.get_by_role("heading", name="Rate the service").wait_for()
    assert page.url.endswith(f"/penilaian/{invitation.token}/")
    assert audit(page, axe_source, page.url) == []

    # No stars yet: refused, the review kept.
    page.get_by_label("Your review").fill(REVIEW)
    page.get_by_role("button", name="Send my rating").click()
    page.get_by_text("Choose a rating from 1 to 5 stars.").first.wait_for()
    assert page.get_by_label("Your review").input_value() == REVIEW
    page.get_by_label("4 stars: good").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "e2e-rating-form.png"), full_page=True)
    page.get_by_role("button", name="Send my rating").click()
    page.get_by_role("heading", name="Thank you for your rating").wait_for()
    page.get_by_text("Your review is waiting for a moderator").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    rating = Rating.objects.get()
    assert (rating.stars, rating.review, rating.review_status) == (4, REVIEW, ReviewStatus.PENDING)

    # The IKM questionnaire, offered with the rating for the same case: answered, the hourly
    # aggregation runs, and the office's index shows the new figure (one served, one answered:
    # NRR 4, 3, 2, 3, 3, 4, 4, 4, 3, so 30 x 0.111 x 25 = 83.25).
    page.get_by_role("link", name="Answer the survey").click()
    for question, answer in [*IKM_ANSWERS, (IKM_U9, "Good")]:
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("group", name="Your age").get_by_label("30-39").check()
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_role("group", name="Your highest education").get_by_label("Bachelor's degree (S1)").check()
    page.get_by_role("group", name="Your main occupation").get_by_label("Self-employed").check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("your answers were received").wait_for()
    ikm_tasks.compute_ikm_results.call_local()
    page.goto(f"{base}/ikm/{world.office.code}/")
    assert page.locator("#ikm-value").inner_text() == "83.25"

    # Not public until moderated.
    office_page = f"{base}/offices/{world.office.code}/"
    page.goto(office_page)
    page.get_by_text("4.0 out of 5").wait_for()
    assert REVIEW not in page.content()

    # The office's moderator approves it.
    desk = browser_context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    desk.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    staff_page = desk.new_page()
    sign_in(staff_page, base, moderator.email, current_code(TOTPDevice.objects.get(user=moderator)))
    staff_page.goto(f"{base}/backoffice/")
    staff_page.get_by_role("link", name="Ratings", exact=True).click()
    staff_page.get_by_role("link", name=f"Review {rating.pk}").click()
    staff_page.get_by_text(REVIEW).wait_for()
    staff_page.get_by_role("button", name="Approve and publish").click()
    staff_page.get_by_text("The review is published.").wait_for()

    # On the office's page, with the new average.
    page.goto(office_page)
    page.get_by_text(REVIEW).wait_for()
    assert page.locator("#rating-average").inner_text().startswith("4.0 out of 5")
    assert "(1 rating by people served)" in page.locator("#rating-average").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "e2e-rating-office.png"), full_page=True)


def test_rating_pages_pass_axe_and_fit_a_phone(
    browser_context: Any, page: Any, axe_source: str, live_server: Any
) -> None:

    from gerbang.accounts.models import User
    from tests.e2e.test_accessibility import sign_in as reuse_session

    demo_snapshot.load_demo()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    problems: list[str] = []
    for url in ("/saran/", "/offices/mesuji/", "/services/paspor-biasa/"):
        problems += audit(page, axe_source, base + url)
    siti = User.objects.get(email="pemohon@gerbang.test")
    reuse_session(browser_context, siti)
    mine = Invitation.objects.filter(person=siti)
    rated = mine.filter(rating__isnull=False).first()
    to_rate = mine.filter(rating__isnull=True).first()
    assert rated is not None and to_rate is not None
    for url in (
        "/account/",
        "/saran/",
        f"/penilaian/{to_rate.token}/",
        f"/penilaian/{rated.token}/",
        f"/penilaian/{rated.token}/terima-kasih/",
    ):
        problems += audit(page, axe_source, base + url)
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    reuse_session(browser_context, User.objects.get(email="admin.mesuji@gerbang.test"))
    for url in (
        "/backoffice/ratings/",
        "/backoffice/ratings/?status=published",
        "/backoffice/ratings/suggestions/",
        *(
            f"/backoffice/ratings/{pk}/"
            for pk in Rating.objects.exclude(review="").values_list("pk", flat=True)
        ),
    ):
        problems += audit(page, axe_source, base + url)
        if url.startswith("/backoffice/ratings/?") or url == "/backoffice/ratings/":
            # At 360 px the list of reviews fits: no column cut off or scrolled away.
            clipped = page.evaluate(
                "[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth).length"
            )
            assert clipped == 0, url
    assert problems == []
