"""Participation in a browser: a person answers the open survey on a 360 px phone (a missing
answer is named and nothing typed is lost); a debate post reported by three readers disappears
until a moderator restores it with a reason. And the pages pass axe and fit a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, current_code, staff
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.tests import demo_snapshot
from gerbang.participation import services
from gerbang.participation.models import PostStatus, Response
from gerbang.participation.tests.conftest import World
from tests.e2e.test_accessibility import sign_in as reuse_session
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world() -> World:
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    other = OfficeFactory.create(code="makassar", name_id="Kantor Imigrasi Makassar")
    return World(
        office=office,
        other_office=other,
        supervisor=staff(Role.SUPERVISOR, [office], full_name="Supervisor Mesuji"),
        officer=staff(Role.OFFICER, [office], full_name="Petugas Mesuji"),
        other_supervisor=staff(Role.SUPERVISOR, [other], full_name="Supervisor Makassar"),
        national=staff(Role.NATIONAL_ADMIN, [], full_name="Admin Nasional"),
        people=[
            UserFactory.create(full_name=name, email=f"person{n}@example.test")
            for n, name in enumerate(["Budi Santoso", "Siti Aminah", "Rina Kusuma", "Andi Saputra"])
        ],
    )


def _english(context: Any, base: str) -> None:
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])


def test_answer_the_survey_on_a_phone_and_moderate_a_reported_post(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    world = _world()
    survey = world.survey(title_id="Passport service survey 2026")
    questions = list(survey.questions.all())
    debate = world.debate()
    post = services.post_publish(
        actor=world.people[1], debate=debate, body="Afternoon sessions would help people who work."
    ).post
    base = live_server.url
    _english(browser_context, base)

    # The person answers the open survey on a 360 px phone.
    page = browser_context.new_page()
    sign_in(page, base, world.people[0].email)
    page.goto(f"{base}/partisipasi/")
    page.get_by_role("link", name="Passport service survey 2026").click()
    page.get_by_role("link", name="Answer the survey").click()
    # Everything but the first question: the page names it and keeps the rest.
    page.locator(f"input[name=q{questions[1].pk}][value='0']").check()
    page.locator(f"input[name=q{questions[2].pk}][value='4']").check()
    page.get_by_label("Place of “More quota”").select_option("1")
    page.get_by_label("Place of “Saturdays”").select_option("3")
    page.get_by_label("Place of “Easier payment”").select_option("2")
    page.get_by_label("Anything else?").fill("More chairs in the waiting room, please.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Answer this question.").wait_for()
    page.screenshot(path=str(artifacts / "e2e-participation-answer.png"), full_page=True)
    assert page.get_by_label("Anything else?").input_value() == "More chairs in the waiting room, please."
    assert page.locator(f"input[name=q{questions[2].pk}][value='4']").is_checked()
    assert page.get_by_label("Place of “Saturdays”").input_value() == "3"
    page.get_by_label("Walk-in").check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("your answers were recorded").wait_for()
    page.get_by_text("You have answered this survey").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "e2e-participation-survey.png"), full_page=True)
    answer = Response.objects.get(survey=survey, respondent=world.people[0])
    assert answer.answers.get(question=questions[3]).choices == [0, 2, 1]

    # Three readers report the post, each from their own browser.
    for reader in (world.people[0], world.people[2], world.people[3]):
        context = browser_context.browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
        _english(context, base)
        reuse_session(context, reader)
        tab = context.new_page()
        tab.goto(f"{base}/partisipasi/diskusi/{debate.pk}/")
        tab.get_by_role("link", name="Report this post").click()
        tab.get_by_label("Abusive or offensive").check()
        tab.get_by_role("button", name="Send the report").click()
        tab.get_by_text("a moderator reads reported posts").wait_for()
        context.close()
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN
    page.goto(f"{base}/partisipasi/diskusi/{debate.pk}/")
    assert page.get_by_text("Afternoon sessions would help").count() == 0
    page.get_by_text("This post is hidden while a moderator looks at it.").wait_for()

    # The moderator restores it, with a reason.
    desk = browser_context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    _english(desk, base)
    staff_page = desk.new_page()
    moderator = world.supervisor
    sign_in(staff_page, base, moderator.email, current_code(TOTPDevice.objects.get(user=moderator)))
    staff_page.goto(f"{base}/backoffice/")
    staff_page.get_by_role("link", name="Participation").first.click()
    staff_page.get_by_role("link", name="Moderation queue").click()
    staff_page.get_by_text("Afternoon sessions would help").wait_for()
    staff_page.get_by_label("Restore: show it again").check()
    staff_page.get_by_label("Reason (kept)").fill("A fair opinion on the sessions.")
    staff_page.get_by_role("button", name="Decide").click()
    staff_page.get_by_text("The post is shown again.").wait_for()
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE and post.moderation_reason == "A fair opinion on the sessions."
    page.goto(f"{base}/partisipasi/diskusi/{debate.pk}/")
    page.get_by_text("Afternoon sessions would help").wait_for()
    page.screenshot(path=str(artifacts / "e2e-participation-debate.png"), full_page=True)


def test_participation_pages_pass_axe_and_fit_a_phone(
    browser_context: Any, page: Any, axe_source: str, live_server: Any
) -> None:

    from gerbang.accounts.models import User
    from gerbang.participation.models import Debate, Post, Proposal, Survey
    from tests.e2e.test_accessibility import audit

    demo_snapshot.load_demo()
    base = live_server.url
    _english(browser_context, base)
    open_survey = Survey.objects.filter(closed_at=None).exclude(published_at=None).get()
    closed = Survey.objects.exclude(pk=open_survey.pk).exclude(published_at=None).get()
    draft = Survey.objects.get(published_at=None)
    debate = Debate.objects.get()
    proposal = Proposal.objects.first()
    assert proposal is not None
    public = [
        "/partisipasi/",
        "/partisipasi/survei/",
        f"/partisipasi/survei/{open_survey.pk}/",
        f"/partisipasi/survei/{closed.pk}/",
        f"/partisipasi/survei/{closed.pk}/hasil/",
        "/partisipasi/diskusi/",
        f"/partisipasi/diskusi/{debate.pk}/",
        "/partisipasi/usulan/",
        *(f"/partisipasi/usulan/{p.pk}/" for p in Proposal.objects.all()),
    ]
    problems: list[str] = []
    for url in public:
        problems += audit(page, axe_source, base + url)
    reuse_session(browser_context, User.objects.get(email="pemohon@gerbang.test"))
    visible = Post.objects.filter(status="visible").first()
    assert visible is not None
    for url in (
        f"/partisipasi/survei/{open_survey.pk}/jawab/",
        f"/partisipasi/diskusi/{debate.pk}/",
        f"/partisipasi/pos/{visible.pk}/laporkan/",
        "/partisipasi/usulan/baru/",
    ):
        problems += audit(page, axe_source, base + url)
    browser_context.clear_cookies()
    _english(browser_context, base)
    reuse_session(browser_context, User.objects.get(email="admin.nasional@gerbang.test"))
    for url in (
        "/backoffice/participation/",
        "/backoffice/participation/moderation/",
        "/backoffice/participation/texts/",
        "/backoffice/participation/proposals/",
        "/backoffice/participation/surveys/new/",
        "/backoffice/participation/debates/new/",
        f"/backoffice/participation/surveys/{open_survey.pk}/",
        f"/backoffice/participation/surveys/{closed.pk}/",
        f"/backoffice/participation/surveys/{draft.pk}/",
        f"/backoffice/participation/debates/{debate.pk}/",
        *(f"/backoffice/participation/proposals/{p.pk}/" for p in Proposal.objects.all()),
    ):
        problems += audit(page, axe_source, base + url)
    assert problems == []
