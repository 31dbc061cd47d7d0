"""The public pages and the staff's pages: visitors read, signed-in people take part, bad input
names the field and keeps what was typed, staff see their offices only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.core import formatting
from gerbang.core.actors import DEMO
from gerbang.participation import services
from gerbang.participation.models import (
    Outcome,
    Post,
    PostStatus,
    Proposal,
    ProposalStatus,
    Question,
    Response,
    Survey,
)
from gerbang.participation.tests.conftest import World, good_answers

pytestmark = pytest.mark.django_db


def browser(user: Any = None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None and getattr(user, "is_staff_role", False):
        sign_in_with_2fa(client, user)
    elif user is not None:
        client.force_login(user)
    return client


def form_data(survey: Survey) -> dict[str, Any]:
    questions: list[Question] = list(survey.questions.all())
    return {
        f"q{questions[0].pk}": "1",
        f"q{questions[1].pk}": ["0", "2"],
        f"q{questions[2].pk}": "4",
        f"q{questions[3].pk}_r0": "2",
        f"q{questions[3].pk}_r1": "3",
        f"q{questions[3].pk}_r2": "1",
        f"q{questions[4].pk}": "More chairs please.",
    }


class TestSurveyPages:
    def test_visitors_read_and_are_asked_to_sign_in(self, world: World) -> None:
        survey = world.survey()
        client = browser()
        for name in ("participation:hub", "participation:surveys"):
            assert survey.title in client.get(reverse(name)).content.decode()
        page = client.get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert "Sign in to answer" in page
        answer = client.get(reverse("participation:survey_answer", args=[survey.pk]))
        assert answer.status_code == 302 and "login" in answer["Location"]

    def test_a_person_answers_every_kind(self, world: World) -> None:
        survey = world.survey()
        client = browser(world.people[0])
        url = reverse("participation:survey_answer", args=[survey.pk])
        page = client.get(url).content.decode()
        assert "Rank the improvements" in page and "Place of “Saturdays”" in page
        response = client.post(url, form_data(survey))
        assert response.status_code == 302
        stored = Response.objects.get(survey=survey, respondent=world.people[0])
        ranking = stored.answers.get(question__kind="ranking")
        assert ranking.choices == [2, 0, 1]  # places 2, 3, 1 for choices 0, 1, 2
        again = client.get(url, follow=True).content.decode()
        assert "You have answered this survey." in again  # said by the page, once

    def test_bad_answers_name_the_question_and_keep_the_rest(self, world: World) -> None:
        survey = world.survey()
        questions = list(survey.questions.all())
        data = form_data(survey)
        del data[f"q{questions[0].pk}"]
        data[f"q{questions[3].pk}_r1"] = "2"  # a place twice
        response = browser(world.people[0]).post(
            reverse("participation:survey_answer", args=[survey.pk]), data
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert form.errors[f"q{questions[0].pk}"] == ["Answer this question."]
        said = "Place 2 is given to 2 choices: give each choice its own place."
        assert form.errors[f"q{questions[3].pk}_r0"] == [said]
        page = response.content.decode()
        # Said once, under the question as the other questions' errors are, not at a place.
        ranking = page[page.index("Rank the improvements") : page.index("Anything else?")]
        assert ranking.count(said) == 1
        assert ranking.index(said) < ranking.index(
            "Give each choice a place from 1 (the most important) to 3."
        )
        assert ranking.index(said) < ranking.index("Place of “More quota”")
        assert '<div class="errors"' in ranking and "(1 to 3)" not in ranking
        missing = {**data, f"q{questions[3].pk}_r1": ""}
        refused = browser(world.people[0]).post(
            reverse("participation:survey_answer", args=[survey.pk]), missing
        )
        assert "each place once" in refused.context["form"].errors[f"q{questions[3].pk}_r0"][0]
        assert "More chairs please." in page
        assert form[f"q{questions[2].pk}"].value() == "4"
        assert f'value="4" class="scale" required id="id_q{questions[2].pk}_3" checked' in page
        assert not Response.objects.exists()

    def test_results_wait_for_the_close(self, world: World, settings: Any) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 1
        survey = world.survey(office=world.office)
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        client = browser()
        url = reverse("participation:survey_results", args=[survey.pk])
        assert client.get(url).status_code == 302
        services.survey_close(actor=world.supervisor, survey=survey)
        page = client.get(url).content.decode()
        assert "1 person answered" in page
        assert "More chairs please." not in page  # waits for moderation
        assert "1 written answer waits for moderation" in page


class TestDebatePages:
    def test_post_reply_support_and_report(self, world: World) -> None:
        debate = world.debate()
        url = reverse("participation:debate", args=[debate.pk])
        author = browser(world.people[0])
        response = author.post(url, {"body": "Afternoon sessions help workers, email me at b@x.test"})
        assert response.status_code == 302
        post = Post.objects.get()
        assert "b@x.test" not in post.body
        page = author.get(url).content.decode()
        assert "Budi S." in page and "person0@example.test" not in page
        reader = browser(world.people[1])
        reader.post(reverse("participation:post_support", args=[post.pk]))
        assert post.supports.count() == 1
        for person in world.people[1:4]:
            report = browser(person).post(
                reverse("participation:post_report", args=[post.pk]), {"reason": "abuse"}
            )
            assert report.status_code == 302
        post.refresh_from_db()
        assert post.status == PostStatus.HIDDEN
        page = browser().get(url).content.decode()
        assert "Afternoon sessions" not in page
        assert "This post is hidden while a moderator looks at it." in page

    def test_the_replies_of_others_stay_under_a_hidden_post(self, world: World) -> None:
        debate = world.debate()
        url = reverse("participation:debate", args=[debate.pk])
        post = services.post_publish(actor=world.people[0], debate=debate, body="A contested opinion.").post
        services.post_publish(
            actor=world.people[1], debate=debate, body="Agreed, the morning quota stays.", parent=post
        )
        for person in world.people[1:4]:
            services.post_report(actor=person, post=post, reason="spam")
        page = browser(world.people[1]).get(url).content.decode()
        assert "A contested opinion." not in page
        assert "This post is hidden while a moderator looks at it." in page
        assert "Agreed, the morning quota stays." in page
        services.post_moderate(actor=world.national, post=post, restore=False, reason="Broker advert.")
        page = browser().get(url).content.decode()
        assert "This post was removed by a moderator: Spam or advertising." in page
        assert "Agreed, the morning quota stays." in page

    def test_an_empty_post_is_refused_at_its_field(self, world: World) -> None:
        debate = world.debate()
        response = browser(world.people[0]).post(
            reverse("participation:debate", args=[debate.pk]), {"body": "abc"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["body"] == ["Write at least 5 characters."]
        assert "abc</textarea>" in response.content.decode()

    def test_an_empty_reply_is_summarised_at_the_top_and_opens_at_the_form(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(actor=world.people[0], debate=debate, body="Some opinion here.").post
        url = reverse("participation:debate", args=[debate.pk]) + f"?reply={post.pk}"
        response = browser(world.people[1]).post(url, {"body": "   ", "parent": str(post.pk)})
        assert response.status_code == 400
        page = response.content.decode()
        summary = page.index('id="error-summary"')
        assert summary < page.index("Some opinion here.")
        assert 'href="#id_body"' in page[summary : page.index("</div>", summary)]
        assert f'action="{url}#post-form"' in page
        assert 'id="post-form"' in page
        assert page.count('id="error-summary"') == 1

    def test_a_report_needs_a_reason(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(actor=world.people[0], debate=debate, body="Some opinion here.").post
        response = browser(world.people[1]).post(
            reverse("participation:post_report", args=[post.pk]), {"note": "Rude words"}
        )
        assert response.status_code == 400
        assert "reason" in response.context["form"].errors
        assert 'value="Rude words"' in response.content.decode()
        page = response.content.decode()
        assert 'id="error-summary"' in page and "#report-form" in page

    def test_visitors_cannot_post(self, world: World) -> None:
        debate = world.debate()
        response = browser().post(
            reverse("participation:debate", args=[debate.pk]), {"body": "Hello everyone."}
        )
        assert response.status_code == 302 and "login" in response["Location"]
        assert not Post.objects.exists()


class TestProposalPages:
    def test_propose_and_support(self, world: World) -> None:
        client = browser(world.people[0])
        bad = client.post(
            reverse("participation:proposal_new"),
            {"title": "Saturday service", "body": "Too short", "unit": "mesuji"},
        )
        assert bad.status_code == 400
        assert bad.context["form"].errors["body"] == ["Write at least 30 characters."]
        assert 'value="Saturday service"' in bad.content.decode()
        assert 'href="#id_body"' in bad.content.decode() and "#proposal-form" in bad.content.decode()
        response = client.post(
            reverse("participation:proposal_new"),
            {
                "title": "Saturday service",
                "body": "Open the passport counters on two Saturdays a month for workers.",
                "unit": "mesuji",
            },
        )
        proposal = Proposal.objects.get()
        assert response["Location"] == reverse("participation:proposal", args=[proposal.pk])
        assert proposal.office == world.office
        browser(world.people[1]).post(reverse("participation:proposal_support", args=[proposal.pk]))
        proposal.refresh_from_db()
        assert proposal.supports_count == 1
        page = browser().get(reverse("participation:proposal", args=[proposal.pk])).content.decode()
        assert "1 of 50 supporters needed" in page

    def test_supporters_are_counted_against_the_threshold_and_its_day(self, world: World) -> None:
        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Saturday service",
            body="Open the passport counters on two Saturdays a month for workers.",
            office=world.office,
            threshold=2,
        ).proposal
        detail = reverse("participation:proposal", args=[proposal.pk])
        services.proposal_support(actor=world.people[1], proposal=proposal)
        assert "1 of 2 supporters needed" in browser().get(detail).content.decode()
        for person in world.people[2:4]:
            services.proposal_support(actor=person, proposal=proposal)
        proposal.refresh_from_db()
        assert proposal.supports_count == 3 and proposal.threshold_reached_at is not None
        with translation.override("en"):
            reached = formatting.day(proposal.threshold_reached_at, world.office)
        said = f"3 supporters; the threshold of 2 was reached on {reached}"
        for url in (detail, reverse("participation:proposals"), reverse("participation:hub")):
            page = browser().get(url).content.decode()
            assert said in page and "3 of 2" not in page


class TestBackoffice:
    def test_the_menu_and_the_home(self, world: World) -> None:
        world.survey(office=world.office, title_id="Mesuji waiting room")
        world.survey(office=world.other_office, title_id="Makassar counters")
        page = browser(world.supervisor).get(reverse("backoffice:participation")).content.decode()
        assert reverse("backoffice:participation") in page
        assert "Mesuji waiting room" in page and "Makassar counters" not in page
        national = browser(world.national).get(reverse("backoffice:participation")).content.decode()
        assert "Mesuji waiting room" in national and "Makassar counters" in national

    def test_a_survey_of_another_office_is_not_found(self, world: World) -> None:
        survey = world.survey(office=world.other_office)
        response = browser(world.supervisor).get(reverse("backoffice:participation_survey", args=[survey.pk]))
        assert response.status_code == 404

    def test_applicants_have_no_back_office(self, world: World) -> None:
        response = browser(world.people[0]).get(reverse("backoffice:participation"))
        assert response.status_code in (302, 403)

    def test_a_draft_survey_page_has_no_stray_separator_or_nested_brackets(self, world: World) -> None:
        survey = world.survey(publish=False, office=world.office)
        page = (
            browser(world.supervisor)
            .get(reverse("backoffice:participation_survey", args=[survey.pk]))
            .content.decode()
        )
        assert "Change the survey</a></p>" in page
        assert "Scale (1 to 5)" in page and "(Scale (1 to 5)" not in page

    def test_make_a_survey_with_a_question_and_close_it(self, world: World) -> None:
        client = browser(world.supervisor)
        now = timezone.localtime()
        bad = client.post(
            reverse("backoffice:participation_survey_new"),
            {
                "title_id": "Waiting room",
                "unit": "mesuji",
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert bad.status_code == 400
        assert bad.context["form"].errors["closes_at"] == ["The survey must close after it opens."]
        assert 'value="Waiting room"' in bad.content.decode()
        national = client.post(
            reverse("backoffice:participation_survey_new"),
            {"title_id": "Waiting room", "unit": "national", "opens_at": "x", "closes_at": "y"},
        )
        assert "unit" in national.context["form"].errors  # not offered to office staff
        response = client.post(
            reverse("backoffice:participation_survey_new"),
            {
                "title_id": "Waiting room",
                "unit": "mesuji",
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        survey = Survey.objects.get()
        assert response["Location"] == reverse("backoffice:participation_survey", args=[survey.pk])
        url = reverse("backoffice:participation_survey", args=[survey.pk])
        refused = client.post(
            url,
            {
                "question-kind": "single",
                "question-text_id": "Which facility?",
                "question-choices_id": "Only one",
            },
        )
        assert refused.status_code == 400
        assert refused.context["question_form"].errors["choices_id"] == [
            "Questions of the kinds one choice, several choices and ranking need their choices: give at"
            " least two, one per line."
        ]
        client.post(
            url,
            {
                "question-kind": "single",
                "question-text_id": "Which facility?",
                "question-choices_id": "Chairs\nPlay area",
            },
        )
        assert survey.questions.get().choices_id == ["Chairs", "Play area"]
        # A draft is published before it can be closed.
        client.post(reverse("backoffice:participation_survey_publish", args=[survey.pk]))
        client.post(reverse("backoffice:participation_survey_close", args=[survey.pk]), {"confirmed": "yes"})
        survey.refresh_from_db()
        assert survey.results_visible
        client.post(
            reverse("backoffice:participation_outcome", args=["survey", survey.pk]),
            {
                "outcome-decided_id": "We add a play area for children.",
                "outcome-changed_id": "Play area open.",
                "outcome-stage": "done",
            },
        )
        assert Outcome.objects.filter(kind="survey", subject_id=survey.pk).exists()
        public = browser().get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert "We add a play area for children." in public

    def test_moderation_queue_restore_with_a_reason(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(
            actor=world.people[0], debate=debate, body="An opinion some dislike."
        ).post
        for reader in world.people[1:4]:
            services.post_report(actor=reader, post=post, reason="abuse", note="Rude")
        client = browser(world.supervisor)
        queue = client.get(reverse("backoffice:participation_moderation")).content.decode()
        assert "An opinion some dislike." in queue and "Abusive or offensive" in queue
        assert (
            "An opinion"
            not in browser(world.other_supervisor)
            .get(reverse("backoffice:participation_moderation"))
            .content.decode()
        )
        url = reverse("backoffice:participation_moderate", args=[post.pk])
        refused = client.post(url, {f"p{post.pk}-decision": "restore", f"p{post.pk}-reason": "ok"})
        assert refused.status_code == 400
        assert "reason" in refused.context["rows"][0]["form"].errors
        client.post(url, {f"p{post.pk}-decision": "restore", f"p{post.pk}-reason": "A fair opinion."})
        post.refresh_from_db()
        assert post.status == PostStatus.VISIBLE and post.moderation_reason == "A fair opinion."
        assert browser(world.officer).post(url, {}).status_code == 403
        record = client.get(reverse("backoffice:participation_debate", args=[debate.pk])).content.decode()
        assert "A fair opinion. (Supervisor Mesuji)" in record

    def test_proposals_to_answer_flag_late_ones(self, world: World) -> None:
        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Saturday service",
            body="Open the passport counters on two Saturdays a month for workers.",
            office=world.office,
            threshold=1,
        ).proposal
        services.proposal_support(actor=world.people[1], proposal=proposal)
        Proposal.objects.filter(pk=proposal.pk).update(answer_due=timezone.localdate() - dt.timedelta(days=3))
        client = browser(world.supervisor)
        home = client.get(reverse("backoffice:participation")).content.decode()
        assert "Saturday service" in home and "overdue" in home
        url = reverse("backoffice:participation_proposal", args=[proposal.pk])
        refused = client.post(url, {"answer-accepted": "yes", "answer-answer_id": ""})
        assert refused.status_code == 400 and "answer_id" in refused.context["answer_form"].errors
        client.post(url, {"answer-accepted": "yes", "answer-answer_id": "Accepted: two Saturdays a month."})
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.ACCEPTED
        other = browser(world.other_supervisor).get(url)
        assert other.status_code == 404

    def test_a_proposal_page_speaks_of_its_threshold_in_the_right_tense(
        self, world: World, settings: Any
    ) -> None:
        settings.PROPOSAL_SUPPORT_THRESHOLD = 50
        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Saturday service",
            body="Open the passport counters on two Saturdays a month for workers.",
            office=world.office,
            threshold=1,
        ).proposal
        public = reverse("participation:proposal", args=[proposal.pk])
        page = browser().get(public).content.decode()
        assert "When 1 person supports this proposal" in page
        assert "The number of supporters needed is fixed when a proposal is made" in page
        assert "a proposal made today needs 50" in page
        services.proposal_support(actor=world.people[1], proposal=proposal)
        page = browser().get(public).content.decode()
        assert "When 1 person supports" not in page
        assert "It reached the 1 supporter it needed and was sent to the responsible unit." in page
        client = browser(world.supervisor)
        staff_url = reverse("backoffice:participation_proposal", args=[proposal.pk])
        assert "Answer due" in client.get(staff_url).content.decode()
        client.post(
            staff_url, {"answer-accepted": "yes", "answer-answer_id": "Accepted: two Saturdays a month."}
        )
        page = browser().get(public).content.decode()
        assert "When 1 person supports" not in page and "It reached the 1 supporter" not in page
        assert "the unit has answered" in page
        staff = client.get(staff_url).content.decode()
        assert "Answer due" not in staff and "Answered" in staff

    def test_texts_to_moderate(self, world: World) -> None:
        survey = world.survey(office=world.office)
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        client = browser(world.supervisor)
        assert "More chairs please." in client.get(reverse("backoffice:participation_texts")).content.decode()
        answer = survey.responses.get().answers.get(question__kind="text")
        client.post(reverse("backoffice:participation_texts"), {"answer": answer.pk, "decision": "approve"})
        answer.refresh_from_db()
        assert answer.text_status == "approved"

    def test_a_written_answer_with_a_phone_number_is_flagged_and_masked_in_the_results(
        self, world: World, settings: Any
    ) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 1
        survey = world.survey(office=world.office)
        answers = good_answers(survey)
        text_question = survey.questions.get(kind="text")
        answers[text_question.pk] = "Tolong tambah kuota. WA saya 081298765432."
        services.survey_answer(actor=world.people[0], survey=survey, answers=answers)
        client = browser(world.supervisor)
        queue = client.get(reverse("backoffice:participation_texts")).content.decode()
        assert "The automatic check found what looks like personal data:" in queue
        assert "A phone number" in queue
        answer = survey.responses.get().answers.get(question=text_question)
        client.post(reverse("backoffice:participation_texts"), {"answer": answer.pk, "decision": "approve"})
        services.survey_close(actor=world.supervisor, survey=survey)
        results = browser().get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
        assert "Tolong tambah kuota. WA saya [•••]." in results
        assert "081298765432" not in results


def test_debate_demo_actor_made_debate_is_public(world: World) -> None:
    debate = services.debate_create(
        actor=DEMO,
        title_id="National quota debate",
        description_id="How should national quotas be shared?",
        office=None,
    )
    assert "National quota debate" in browser().get(reverse("participation:debates")).content.decode()
    assert (
        browser(world.supervisor)
        .get(reverse("backoffice:participation_debate", args=[debate.pk]))
        .status_code
        == 404
    )


class TestSurveyEdit:
    def test_change_the_dates_and_title_until_it_closes(self, world: World) -> None:
        survey = world.survey(office=world.office)
        client = browser(world.supervisor)
        url = reverse("backoffice:participation_survey_edit", args=[survey.pk])
        page = client.get(url).content.decode()
        assert 'value="Passport service survey"' in page and 'name="unit"' not in page
        opens = timezone.localtime(survey.opens_at).strftime("%Y-%m-%dT%H:%M")
        later = (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
        bad = client.post(url, {"title_id": "Hi", "opens_at": opens, "closes_at": later})
        assert bad.status_code == 400
        assert bad.context["form"].errors["title_id"] == ["Write a title of at least 5 characters."]
        client.post(url, {"title_id": "Waiting room survey", "opens_at": opens, "closes_at": later})
        survey.refresh_from_db()
        assert survey.title_id == "Waiting room survey"
        assert timezone.localtime(survey.closes_at).strftime("%Y-%m-%dT%H:%M") == later
        assert browser(world.other_supervisor).get(url).status_code == 404
        assert browser(world.officer).get(url).status_code == 403
        services.survey_close(actor=world.supervisor, survey=survey)
        closed = client.post(url, {"title_id": "Too late now", "opens_at": opens, "closes_at": later})
        assert closed.status_code == 400
        assert "closed survey cannot change" in closed.content.decode()


class TestPanels:
    def test_home_dashboard_office_and_staff_home(self, world: World) -> None:
        survey = world.survey(office=world.office, title_id="Mesuji waiting room")
        home = browser().get(reverse("core:home")).content.decode()
        assert "Have your say" in home and reverse("participation:hub") in home
        dashboard = browser(world.people[0]).get(reverse("accounts:dashboard")).content.decode()
        assert "Mesuji waiting room" in dashboard
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        assert (
            "Mesuji waiting room"
            not in browser(world.people[0]).get(reverse("accounts:dashboard")).content.decode()
        )
        office_page = browser().get(reverse("catalog:office_detail", args=["mesuji"])).content.decode()
        assert "Mesuji waiting room" in office_page
        staff_home = browser(world.supervisor).get(reverse("backoffice:dashboard")).content.decode()
        assert "1 written answer to read" in staff_home
        assert (
            "written answer"
            not in browser(world.other_supervisor).get(reverse("backoffice:dashboard")).content.decode()
        )

    def test_reading_written_answers_is_logged(self, world: World) -> None:
        from gerbang.core.models import Event

        survey = world.survey(office=world.office)
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        browser(world.supervisor).get(reverse("backoffice:participation_texts"))
        event = Event.objects.get(code="participation.texts_read")
        assert event.actor == world.supervisor


def test_a_new_survey_shows_at_once_on_cached_office_pages(world: World) -> None:
    visitor = Client()
    url = reverse("catalog:office_detail", args=["mesuji"])
    assert "Mesuji waiting room" not in visitor.get(url).content.decode()
    world.survey(office=world.office, title_id="Mesuji waiting room")
    assert "Mesuji waiting room" in visitor.get(url).content.decode()


class TestTrialFixes:
    """The pages of what the trial of issue 19 found."""

    def test_staff_make_a_draft_add_questions_then_publish(self, world: World) -> None:
        client = browser(world.supervisor)
        now = timezone.localtime()
        client.post(
            reverse("backoffice:participation_survey_new"),
            {
                "title_id": "Parking survey",
                "unit": "mesuji",
                "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        survey = Survey.objects.get()
        public = reverse("participation:survey", args=[survey.pk])
        assert browser().get(public).status_code == 404
        assert "Parking survey" not in browser().get(reverse("participation:hub")).content.decode()
        url = reverse("backoffice:participation_survey", args=[survey.pk])
        page = client.get(url).content.decode()
        assert "Draft: not shown to the public" in page
        assert '<label for="id_question-text_id">Question text (Indonesian)</label>' in page
        assert "(required for one choice, several choices and ranking questions)" in page
        assert (
            'for="id_question-choices_id">Choices in Indonesian, one per line <span class="muted">(optional)'
            not in page
        )
        publish = reverse("backoffice:participation_survey_publish", args=[survey.pk])
        refused = client.post(publish, follow=True).content.decode()
        assert "Add at least one question before publishing the survey." in refused
        missing = client.post(url, {"question-kind": "ranking", "question-text_id": "Rank the spaces"})
        assert missing.status_code == 400
        assert missing.context["question_form"].errors["choices_id"] == [
            "Questions of the kinds one choice, several choices and ranking need their choices: give at"
            " least two, one per line."
        ]
        assert 'value="Rank the spaces"' in missing.content.decode()
        client.post(
            url,
            {"question-kind": "scale", "question-text_id": "How easy is parking?", "question-required": "on"},
        )
        client.post(publish)
        survey.refresh_from_db()
        assert survey.is_published
        assert browser().get(public).status_code == 200
        services.survey_answer(actor=world.people[0], survey=survey, answers={survey.questions.get().pk: 4})
        fixed = client.get(url).content.decode()
        assert "its questions can no longer change" in fixed and "id_question-text_id" not in fixed

    def test_the_answer_word_follows_the_page_language(self, world: World) -> None:
        from django.utils import translation

        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Reminders by message",
            body="Send a reminder the day before the appointment, to cut missed visits.",
            office=world.office,
            threshold=1,
        ).proposal
        proposal = services.proposal_support(actor=world.people[1], proposal=proposal)
        with translation.override("id"):
            services.proposal_answer(
                actor=world.supervisor, proposal=proposal, accepted=True, answer_id="Diterima, kami lakukan."
            )
        page = browser().get(reverse("participation:proposal", args=[proposal.pk])).content.decode()
        assert "Answered by the unit (Accepted)" in page

    def test_a_reply_closes_the_reply_form(self, world: World) -> None:
        debate = world.debate()
        first = services.post_publish(actor=world.people[0], debate=debate, body="Afternoon please.").post
        url = reverse("participation:debate", args=[debate.pk])
        response = browser(world.people[1]).post(
            f"{url}?reply={first.pk}", {"body": "Agreed with you.", "parent": first.pk}
        )
        reply = Post.objects.get(parent=first)
        assert response.status_code == 302
        assert response["Location"] == f"{url}#post-{reply.pk}"

    def test_the_report_page_says_when_a_report_is_not_possible(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(actor=world.people[0], debate=debate, body="Some opinion here.").post
        url = reverse("participation:post_report", args=[post.pk])
        own = browser(world.people[0]).get(url)
        assert "This is your own post: you cannot report it." in own.content.decode()
        assert "form" not in own.context
        reader = browser(world.people[1])
        page = reader.get(reverse("participation:debate", args=[debate.pk])).content.decode()
        assert "Report this post</a>" in page
        assert reader.get(url).context["form"] is not None
        reader.post(url, {"reason": "abuse"})
        again = reader.get(url)
        assert "You have already reported this post." in again.content.decode()
        assert "form" not in again.context

    def test_the_survey_form_shows_its_title_once(self, world: World) -> None:
        survey = world.survey(title_id="Passport waiting times")
        page = (
            browser(world.people[0])
            .get(reverse("participation:survey_answer", args=[survey.pk]))
            .content.decode()
        )
        body = page.split("</title>", 1)[1]
        assert body.count("Passport waiting times") == 1

    def test_supports_are_withdrawn_with_a_button_and_counted_as_supporters(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(actor=world.people[0], debate=debate, body="Afternoon please.").post
        reader = browser(world.people[1])
        reader.post(reverse("participation:post_support", args=[post.pk]))
        page = reader.get(reverse("participation:debate", args=[debate.pk])).content.decode()
        assert "1 supporter<" in page
        unsupport = reverse("participation:post_unsupport", args=[post.pk])
        assert f'action="{unsupport}"' in page
        assert reader.get(unsupport).status_code == 405
        reader.post(unsupport)
        assert not post.supports.exists()
        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Saturday service",
            body="Open the passport counters on two Saturdays a month for workers.",
            office=world.office,
            threshold=3,
        ).proposal
        proposal_url = reverse("participation:proposal", args=[proposal.pk])
        reader.post(reverse("participation:proposal_support", args=[proposal.pk]))
        page = reader.get(proposal_url).content.decode()
        assert "1 of 3 supporters" in page
        # The threshold that applies to this proposal, and the deadline in working days.
        assert "When 3 people support this proposal, it is sent to the responsible unit" in page
        assert "within 10 working days" in page
        assert "Supports are collected with no time limit" in page
        assert "1 of 3 supporters" in browser().get(reverse("participation:hub")).content.decode()
        reader.post(reverse("participation:proposal_unsupport", args=[proposal.pk]))
        proposal.refresh_from_db()
        assert proposal.supports_count == 0

    def test_the_proposal_form_says_the_minimum_lengths_before_submitting(self, world: World) -> None:
        new = browser(world.people[0]).get(reverse("participation:proposal_new")).content.decode()
        assert "At least 5 characters." in new
        assert "in at least 30 characters" in new

    def test_the_proposal_pages_say_the_setting(self, world: World, settings: Any) -> None:
        settings.PROPOSAL_SUPPORT_THRESHOLD = 40
        settings.PROPOSAL_ANSWER_DAYS = 12
        new = browser(world.people[0]).get(reverse("participation:proposal_new")).content.decode()
        assert "When 40 people support it, it is sent to the responsible unit" in new
        assert "within 12 working days" in new
        listing = browser().get(reverse("participation:proposals")).content.decode()
        assert "supported by 40 people" in listing
        assert "Supports are collected with no time limit" in new

    def test_the_outcome_form_has_no_default_and_refuses_done_while_the_debate_is_open(
        self, world: World
    ) -> None:
        debate = world.debate()
        client = browser(world.supervisor)
        page = client.get(reverse("backoffice:participation_debate", args=[debate.pk])).content.decode()
        assert 'value="done" selected' not in page and 'value="" selected' in page
        assert "A debate that is still open cannot be marked done" in page
        url = reverse("backoffice:participation_outcome", args=["debate", debate.pk])
        decided = "Afternoon sessions start in January."
        unchosen = client.post(url, {"outcome-decided_id": decided, "outcome-changed_id": "Two sessions."})
        assert unchosen.status_code == 400
        assert unchosen.context["outcome_form"].errors["stage"] == ["Choose where it stands."]
        done = client.post(
            url,
            {"outcome-decided_id": decided, "outcome-changed_id": "Two sessions.", "outcome-stage": "done"},
        )
        assert done.status_code == 400
        assert done.context["outcome_form"].errors["stage"] == [str(services.DEBATE_STILL_OPEN)]
        assert not Outcome.objects.exists()

    def test_what_changed_may_wait_while_under_way(self, world: World) -> None:
        debate = world.debate()
        services.debate_close(actor=world.supervisor, debate=debate)
        client = browser(world.supervisor)
        page = client.get(reverse("backoffice:participation_debate", args=[debate.pk])).content.decode()
        assert "(required once it is done)" in page
        url = reverse("backoffice:participation_outcome", args=["debate", debate.pk])
        done = client.post(
            url, {"outcome-decided_id": "Afternoon sessions start in January.", "outcome-stage": "done"}
        )
        assert done.status_code == 400 and "changed_id" in done.context["outcome_form"].errors
        client.post(
            url,
            {"outcome-decided_id": "Afternoon sessions start in January.", "outcome-stage": "in_progress"},
        )
        assert Outcome.objects.get(kind="debate", subject_id=debate.pk).changed == ""
