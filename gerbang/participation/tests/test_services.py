"""The rules of participation, at the services: one answer per account, close and publish,
moderation of free text, the three-report auto-hide and the moderator's decision, rate limits,
masking, the proposal threshold and its working-day deadline, accountability, and scoping."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from gerbang.core.actors import DEMO
from gerbang.core.exceptions import Conflict, PermissionDenied, RateLimited, ValidationError
from gerbang.core.models import Event
from gerbang.core.ratelimit import Limit
from gerbang.participation import selectors, services
from gerbang.participation.masking import HIDDEN, display_name, mask
from gerbang.participation.models import (
    Answer,
    PostStatus,
    ProposalStatus,
    Response,
    Stage,
    StatusChange,
    TextStatus,
)
from gerbang.participation.tests.conftest import MONDAY, World, good_answers

pytestmark = pytest.mark.django_db


class TestSurveys:
    def test_an_answer_of_every_kind_is_stored(self, world: World) -> None:
        survey = world.survey()
        response = services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        stored = {a.question.kind: a for a in response.answers.all()}
        assert stored["single"].choices == [1]
        assert stored["multiple"].choices == [0, 2]
        assert stored["scale"].scale == 4
        # Ranking: choice 2 first, then 0, then 1.
        assert stored["ranking"].choices == [2, 0, 1]
        assert (
            stored["text"].text == "More chairs please." and stored["text"].text_status == TextStatus.PENDING
        )

    def test_one_answer_per_account(self, world: World) -> None:
        survey = world.survey()
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        with pytest.raises(Conflict) as refused:
            services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        assert refused.value.message == selectors.ALREADY_ANSWERED
        assert Response.objects.filter(survey=survey).count() == 1

    def test_the_database_refuses_a_second_answer_even_when_the_check_was_passed(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        survey = world.survey()
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        # Two requests at the same moment both pass the check before either has written.
        monkeypatch.setattr(selectors, "why_not_answer", lambda *args, **kwargs: None)
        with pytest.raises(Conflict):
            services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.create(survey=survey, respondent=world.people[0])

    def test_bad_answers_are_all_named_at_once(self, world: World) -> None:
        survey = world.survey()
        questions = list(survey.questions.all())
        answers = good_answers(survey)
        answers[questions[0].pk] = None  # required
        answers[questions[2].pk] = 9  # scale 1..5
        answers[questions[3].pk] = [0, 0, 1]  # a place twice
        with pytest.raises(ValidationError) as refused:
            services.survey_answer(actor=world.people[0], survey=survey, answers=answers)
        fields = {refused.value.field, *(e.field for e in refused.value.others)}
        assert fields == {f"q{questions[0].pk}", f"q{questions[2].pk}", f"q{questions[3].pk}"}
        assert not Response.objects.exists()

    def test_an_optional_question_may_be_left_empty(self, world: World) -> None:
        survey = world.survey()
        answers = good_answers(survey)
        answers[list(survey.questions.all())[4].pk] = ""
        response = services.survey_answer(actor=world.people[0], survey=survey, answers=answers)
        assert response.answers.count() == 4

    def test_not_before_it_opens_nor_after_it_closes(self, world: World) -> None:
        survey = world.survey(opens_at=timezone.now() + dt.timedelta(days=1))
        with pytest.raises(Conflict) as early:
            services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        assert early.value.message == str(selectors.NOT_OPEN_YET)
        open_survey = world.survey(days=2)
        with time_machine.travel(timezone.now() + dt.timedelta(days=3)), pytest.raises(Conflict) as late:
            services.survey_answer(
                actor=world.people[0], survey=open_survey, answers=good_answers(open_survey)
            )
        assert late.value.message == str(selectors.CLOSED)

    def test_staff_do_not_answer(self, world: World) -> None:
        survey = world.survey()
        with pytest.raises(PermissionDenied):
            services.survey_answer(actor=world.officer, survey=survey, answers=good_answers(survey))

    def test_a_survey_for_people_served_by_an_office(self, world: World) -> None:
        from gerbang.applications.tests import factories as f

        survey = world.survey(office=world.office, served_only=True)
        assert selectors.why_not_answer(world.people[0], survey) is not None
        case = f.submitted(f.make_world())
        served = case.applicant
        case.office = world.office
        case.save(update_fields=["office"])
        assert selectors.why_not_answer(served, survey) is None
        services.survey_answer(actor=served, survey=survey, answers=good_answers(survey))

    def test_served_only_needs_an_office(self, world: World) -> None:
        with pytest.raises(ValidationError) as refused:
            world.survey(served_only=True)
        assert refused.value.field == "office"

    def test_results_are_published_when_the_survey_closes(self, world: World) -> None:
        survey = world.survey(days=2)
        for person in world.people[:3]:
            services.survey_answer(actor=person, survey=survey, answers=good_answers(survey))
        assert not survey.results_visible
        with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
            assert survey.results_visible
            results = selectors.survey_results(survey)
        single, multiple, scale, ranking, text = results
        assert single.rows == [("Online", 0, 0.0), ("Walk-in", 3, 100.0)]
        assert multiple.rows[0] == ("Fees", 3, 100.0) and multiple.rows[1] == ("Documents", 0, 0.0)
        assert scale.mean == 4.0 and scale.scale[3] == (4, 3)
        assert ranking.rows[0] == ("Easier payment", 1.0, 3.0)
        # Free text: not shown before a moderator approves it.
        assert text.texts == [] and text.pending == 3

    def test_free_text_is_shown_only_once_approved(self, world: World) -> None:
        survey = world.survey()
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        answer = Answer.objects.get(text_status=TextStatus.PENDING)
        assert list(selectors.texts_to_moderate(world.supervisor)) == []  # a national survey
        assert list(selectors.texts_to_moderate(world.national)) == [answer]
        with pytest.raises(PermissionDenied):
            services.text_answer_moderate(actor=world.supervisor, answer=answer, approve=True)
        services.text_answer_moderate(actor=world.national, answer=answer, approve=True)
        assert selectors.survey_results(survey)[4].texts == ["More chairs please."]

    def test_closing_publishes_at_once_and_records_the_timeline(self, world: World) -> None:
        survey = world.survey(office=world.office)
        with pytest.raises(PermissionDenied):
            services.survey_close(actor=world.other_supervisor, survey=survey)
        with pytest.raises(PermissionDenied):
            services.survey_close(actor=world.officer, survey=survey)
        services.survey_close(actor=world.supervisor, survey=survey)
        survey.refresh_from_db()
        assert survey.results_visible
        stages = [c.stage for c in selectors.timeline_of(survey)]
        assert stages == [Stage.OPENED, Stage.CLOSED, Stage.RESULTS]
        with pytest.raises(Conflict):
            services.survey_close(actor=world.supervisor, survey=survey)

    def test_questions_are_fixed_once_answered(self, world: World) -> None:
        survey = world.survey()
        services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        with pytest.raises(Conflict):
            services.question_add(actor=DEMO, survey=survey, kind="scale", text_id="One more question?")

    def test_a_choice_question_needs_two_choices(self, world: World) -> None:
        survey = world.survey()
        with pytest.raises(ValidationError) as refused:
            services.question_add(
                actor=DEMO, survey=survey, kind="single", text_id="Which one?", choices_id=["Only"]
            )
        assert refused.value.field == "choices_id"

    def test_english_choices_are_as_many_as_the_indonesian_ones(self, world: World) -> None:
        survey = world.survey(publish=False)
        with pytest.raises(ValidationError) as refused:
            services.question_add(
                actor=DEMO,
                survey=survey,
                kind="single",
                text_id="Bagaimana Anda mendaftar?",
                choices_id=["Daring", "Datang langsung"],
                choices_en=["Online"],
            )
        assert refused.value.field == "choices_en"
        question = services.question_add(
            actor=DEMO,
            survey=survey,
            kind="single",
            text_id="Bagaimana Anda mendaftar?",
            text_en="How did you apply?",
            choices_id=["Daring", "Datang langsung"],
            choices_en=["Online", "In person"],
        )
        with translation.override("en"):
            assert [str(c) for c in question.choices] == ["Online", "In person"]
            assert str(question.text) == "How did you apply?" and not question.text.is_fallback
        with translation.override("id"):
            assert [str(c) for c in question.choices] == ["Daring", "Datang langsung"]
        # Without English, a reader in English gets the Indonesian text, marked as such.
        plain = services.question_add(
            actor=DEMO, survey=survey, kind="single", text_id="Pilih satu", choices_id=["Ya", "Tidak"]
        )
        with translation.override("en"):
            assert plain.text.is_fallback and plain.text.language == "id"
            assert all(c.is_fallback and c.language == "id" for c in plain.choices)

    def test_office_staff_make_surveys_for_their_office_only(self, world: World) -> None:
        now = timezone.now()
        values: dict[str, Any] = {
            "title_id": "Waiting room",
            "description_id": "",
            "opens_at": now,
            "closes_at": now + dt.timedelta(days=5),
        }
        services.survey_create(actor=world.supervisor, office=world.office, **values)
        with pytest.raises(PermissionDenied):
            services.survey_create(actor=world.supervisor, office=world.other_office, **values)
        with pytest.raises(PermissionDenied):
            services.survey_create(actor=world.supervisor, office=None, **values)
        with pytest.raises(PermissionDenied):
            services.survey_create(actor=world.officer, office=world.office, **values)
        services.survey_create(actor=world.national, office=None, **values)
        services.survey_create(actor=world.national, office=world.other_office, **values)

    def test_closing_before_opening_is_refused(self, world: World) -> None:
        now = timezone.now()
        with pytest.raises(ValidationError) as refused:
            services.survey_create(
                actor=DEMO, title_id="Bad dates", description_id="", office=None, opens_at=now, closes_at=now
            )
        assert refused.value.field == "closes_at"


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_the_same_moment_store_one(world: World) -> None:
    survey = world.survey()
    person = world.people[0]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer() -> None:
        try:
            barrier.wait()
            services.survey_answer(actor=person, survey=survey, answers=good_answers(survey))
            outcomes.append("stored")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "stored"]
    assert Response.objects.filter(survey=survey, respondent=person).count() == 1


class TestDebates:
    def test_a_post_shows_a_display_name_and_no_personal_data(self, world: World) -> None:
        debate = world.debate()
        published = services.post_publish(
            actor=world.people[0],
            debate=debate,
            body="Call me on 0812-3456-7890 or budi.santoso@mail.test, NIK 3271010101900001.",
        )
        post = published.post
        assert published.masked
        assert post.display_name == "Budi S."
        assert "0812" not in post.body and "@" not in post.body and "3271" not in post.body
        assert post.body.count(HIDDEN) == 3

    def test_posts_are_rate_limited(self, world: World) -> None:
        debate = world.debate()
        for n in range(services.POSTS_BURST.count):
            services.post_publish(actor=world.people[0], debate=debate, body=f"My view number {n} on this.")
        with pytest.raises(RateLimited) as refused:
            services.post_publish(actor=world.people[0], debate=debate, body="One more post, too many.")
        assert refused.value.message == services.TOO_MANY_POSTS
        # Another person is not held back.
        services.post_publish(actor=world.people[1], debate=debate, body="My own first post here.")

    def test_three_reports_hide_a_post_until_a_moderator_restores_it(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(
            actor=world.people[0], debate=debate, body="An opinion some dislike."
        ).post
        services.post_report(actor=world.people[1], post=post, reason="abuse")
        services.post_report(actor=world.people[2], post=post, reason="spam")
        with pytest.raises(Conflict):  # the same reader twice counts once
            services.post_report(actor=world.people[2], post=post, reason="spam")
        post.refresh_from_db()
        assert post.status == PostStatus.VISIBLE
        services.post_report(actor=world.people[3], post=post, reason="off_topic", note="Not about quotas")
        post.refresh_from_db()
        assert post.status == PostStatus.HIDDEN
        assert [t.placeholder for t in selectors.threads_of(debate)] == ["hidden"]
        assert list(selectors.moderation_queue(world.supervisor)) == [post]
        assert list(selectors.moderation_queue(world.other_supervisor)) == []
        with pytest.raises(PermissionDenied):
            services.post_moderate(
                actor=world.other_supervisor, post=post, restore=True, reason="It is fine."
            )
        with pytest.raises(ValidationError) as no_reason:
            services.post_moderate(actor=world.supervisor, post=post, restore=True, reason="")
        assert no_reason.value.field == "reason"
        services.post_moderate(actor=world.supervisor, post=post, restore=True, reason="A fair opinion.")
        post.refresh_from_db()
        assert post.status == PostStatus.VISIBLE and post.moderation_reason == "A fair opinion."
        assert [t.post for t in selectors.threads_of(debate)] == [post]
        assert Event.objects.filter(code="participation.post_restored").exists()

    def test_a_moderator_removes_a_post_for_good(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(
            actor=world.people[0], debate=debate, body="Buy fast passports here."
        ).post
        for reader in world.people[1:4]:
            services.post_report(actor=reader, post=post, reason="spam")
        services.post_moderate(actor=world.national, post=post, restore=False, reason="Advertising a broker.")
        post.refresh_from_db()
        assert post.status == PostStatus.REMOVED
        with pytest.raises(Conflict):
            services.post_report(actor=world.people[4], post=post, reason="spam")

    def test_reports_after_a_restore_count_again(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(actor=world.people[0], debate=debate, body="A contested opinion.").post
        for reader in world.people[1:4]:
            services.post_report(actor=reader, post=post, reason="abuse")
        services.post_moderate(actor=world.supervisor, post=post, restore=True, reason="Within the rules.")
        services.post_report(actor=world.people[4], post=post, reason="abuse")
        post.refresh_from_db()
        assert post.status == PostStatus.VISIBLE

    def test_one_support_per_account_and_none_for_oneself(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(
            actor=world.people[0], debate=debate, body="Afternoon sessions help."
        ).post
        services.post_support(actor=world.people[1], post=post)
        with pytest.raises(Conflict):
            services.post_support(actor=world.people[1], post=post)
        with pytest.raises(Conflict):
            services.post_support(actor=world.people[0], post=post)
        assert selectors.threads_of(debate)[0].supports == 1

    def test_replies_sit_under_their_post_and_a_closed_debate_takes_none(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(actor=world.people[0], debate=debate, body="First thought here.").post
        reply = services.post_publish(
            actor=world.people[1], debate=debate, body="I agree with that.", parent=post
        ).post
        threads = selectors.threads_of(debate)
        assert [t.post for t in threads] == [post] and [r.post for r in threads[0].replies] == [reply]
        services.debate_close(actor=world.supervisor, debate=debate)
        with pytest.raises(Conflict):
            services.post_publish(actor=world.people[2], debate=debate, body="Too late to say this.")

    def test_reports_are_rate_limited(self, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(services, "REPORTS_HOUR", Limit("participation-reports", 1, 3600))
        debate = world.debate()
        first = services.post_publish(actor=world.people[0], debate=debate, body="A first opinion.").post
        second = services.post_publish(actor=world.people[0], debate=debate, body="A second opinion.").post
        services.post_report(actor=world.people[1], post=first, reason="spam")
        with pytest.raises(RateLimited):
            services.post_report(actor=world.people[1], post=second, reason="spam")


class TestMasking:
    @pytest.mark.parametrize(
        "text",
        [
            "email me: a.b+c@example.co.id",
            "NIK 3271010101900001",
            "NIK 3271 0101 0190 0001",
            "call 081234567890",
            "call +62 812-3456-7890",
            "call 62 812 3456 789",
        ],
    )
    def test_personal_data_is_masked(self, text: str) -> None:
        masked, changed = mask(text)
        assert changed and HIDDEN in masked
        assert not any(ch.isdigit() for ch in masked.split(HIDDEN)[-1]) or "@" not in masked

    def test_plain_text_and_small_numbers_are_kept(self) -> None:
        text = "Queue from 08:00, 2 hours, fee Rp 350.000 at counter 3."
        assert mask(text) == (text, False)

    def test_display_names(self, world: World) -> None:
        assert display_name(world.people[0]) == "Budi S."
        assert display_name(world.people[4]) == "Dewi"


class TestProposals:
    def propose(self, world: World, threshold: int = 3, office: Any = "default") -> Any:
        return services.proposal_submit(
            actor=world.people[0],
            title="Saturday passport service",
            body="Open the passport counters on two Saturdays a month for people who work.",
            office=world.office if office == "default" else office,
            threshold=threshold,
        ).proposal

    def test_the_threshold_sends_it_to_the_unit_with_a_working_day_deadline(
        self, world: World, settings: Any
    ) -> None:
        settings.PROPOSAL_ANSWER_DAYS = 10
        with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
            proposal = self.propose(world)
            services.proposal_support(actor=world.people[1], proposal=proposal)
            proposal = services.proposal_support(actor=world.people[2], proposal=proposal)
            assert proposal.status == ProposalStatus.COLLECTING and proposal.answer_due is None
            proposal = services.proposal_support(actor=world.people[3], proposal=proposal)
        assert proposal.status == ProposalStatus.AWAITING
        # Ten working days after Monday 14 December, Christmas (Friday 25th) not counted.
        assert proposal.answer_due == dt.date(2026, 12, 29)
        assert StatusChange.objects.filter(stage=Stage.THRESHOLD, subject_id=proposal.pk).exists()
        with time_machine.travel(dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.UTC)):
            assert not selectors.is_overdue(proposal)
            assert selectors.overdue_proposals(world.supervisor) == []
        with time_machine.travel(dt.datetime(2026, 12, 30, 2, 0, tzinfo=dt.UTC)):
            assert selectors.is_overdue(proposal)
            assert selectors.overdue_proposals(world.supervisor) == [proposal]
            assert selectors.overdue_proposals(world.other_supervisor) == []
            services.proposal_answer(
                actor=world.supervisor,
                proposal=proposal,
                accepted=True,
                answer_id="We open on two Saturdays a month.",
            )
        assert Event.objects.get(code="participation.proposal_answered").details["late"] is True

    def test_the_setting_is_the_default_threshold(self, world: World, settings: Any) -> None:
        settings.PROPOSAL_SUPPORT_THRESHOLD = 50
        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Saturday passport service",
            body="Open the passport counters on two Saturdays a month for people who work.",
            office=None,
        ).proposal
        assert proposal.threshold == 50

    def test_one_support_per_account(self, world: World) -> None:
        proposal = self.propose(world)
        services.proposal_support(actor=world.people[1], proposal=proposal)
        with pytest.raises(Conflict):
            services.proposal_support(actor=world.people[1], proposal=proposal)
        with pytest.raises(Conflict):
            services.proposal_support(actor=world.people[0], proposal=proposal)
        proposal.refresh_from_db()
        assert proposal.supports_count == 1

    def test_only_a_proposal_past_its_threshold_is_answered_by_its_own_unit(self, world: World) -> None:
        proposal = self.propose(world, threshold=1)
        with pytest.raises(Conflict):
            services.proposal_answer(
                actor=world.supervisor,
                proposal=proposal,
                accepted=False,
                answer_id="Not possible this year, sorry.",
            )
        proposal = services.proposal_support(actor=world.people[1], proposal=proposal)
        with pytest.raises(PermissionDenied):
            services.proposal_answer(
                actor=world.other_supervisor,
                proposal=proposal,
                accepted=True,
                answer_id="Yes, we will do it soon.",
            )
        services.proposal_answer(
            actor=world.supervisor,
            proposal=proposal,
            accepted=False,
            answer_id="Not possible this year, sorry.",
        )
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.REJECTED
        with pytest.raises(Conflict):
            services.proposal_support(actor=world.people[2], proposal=proposal)

    def test_proposals_are_rate_limited_and_masked(self, world: World) -> None:
        published = services.proposal_submit(
            actor=world.people[1],
            title="Reminders by phone",
            body="Send reminders the day before; my number is 081234567890 for questions.",
            office=None,
        )
        assert published.masked and "0812" not in published.proposal.body
        for _n in range(services.PROPOSALS_DAY.count - 1):
            self.propose(world)
        self.propose(world)  # people[0]'s own limit
        with pytest.raises(RateLimited):
            self.propose(world)

    def test_bad_input_names_every_field(self, world: World) -> None:
        with pytest.raises(ValidationError) as refused:
            services.proposal_submit(actor=world.people[0], title="x", body="short", office=None)
        assert {refused.value.field, *(e.field for e in refused.value.others)} == {"title", "body"}


class TestAccountability:
    def test_a_statement_for_an_answered_proposal(self, world: World) -> None:
        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Reminders by message",
            body="Send a reminder the day before the appointment, to cut missed visits.",
            office=world.office,
            threshold=1,
        ).proposal
        with pytest.raises(Conflict):
            services.outcome_publish(
                actor=world.supervisor,
                subject=proposal,
                decided_id="Reminders will be sent.",
                changed_id="Sent daily.",
                stage=Stage.DONE,
            )
        proposal = services.proposal_support(actor=world.people[1], proposal=proposal)
        proposal = services.proposal_answer(
            actor=world.supervisor, proposal=proposal, accepted=True, answer_id="Accepted: we do it."
        )
        with pytest.raises(PermissionDenied):
            services.outcome_publish(
                actor=world.other_supervisor,
                subject=proposal,
                decided_id="Reminders will be sent.",
                changed_id="Sent daily.",
                stage=Stage.DONE,
            )
        services.outcome_publish(
            actor=world.supervisor,
            subject=proposal,
            decided_id="Reminders are sent the day before.",
            changed_id="Missed visits halved.",
            stage=Stage.IN_PROGRESS,
        )
        services.outcome_publish(
            actor=world.supervisor,
            subject=proposal,
            decided_id="Reminders are sent the day before, by every channel.",
            changed_id="Missed visits halved.",
            stage=Stage.DONE,
        )
        outcome = selectors.outcome_of(proposal)
        assert outcome is not None and outcome.decided.endswith("by every channel.")
        assert [c.stage for c in selectors.timeline_of(proposal)] == [
            Stage.OPENED,
            Stage.THRESHOLD,
            Stage.ANSWERED,
            Stage.IN_PROGRESS,
            Stage.DONE,
        ]

    def test_a_survey_statement_waits_for_its_close(self, world: World) -> None:
        survey = world.survey(office=world.office)
        with pytest.raises(Conflict):
            services.outcome_publish(
                actor=world.supervisor,
                subject=survey,
                decided_id="We add chairs to the room.",
                changed_id="More chairs.",
                stage=Stage.DONE,
            )
        services.survey_close(actor=world.supervisor, survey=survey)
        with pytest.raises(ValidationError) as refused:
            services.outcome_publish(
                actor=world.supervisor, subject=survey, decided_id="", changed_id="", stage="nope"
            )
        assert {refused.value.field, *(e.field for e in refused.value.others)} == {
            "decided_id",
            "changed_id",
            "stage",
        }

    def test_a_debate_statement(self, world: World) -> None:
        debate = world.debate()
        with pytest.raises(ValidationError) as refused:
            services.outcome_publish(
                actor=world.national,
                subject=debate,
                decided_id="Afternoon sessions start in January.",
                changed_id="Two sessions.",
                stage=Stage.DONE,
            )
        assert refused.value.field == "stage" and refused.value.message == services.DEBATE_STILL_OPEN
        services.outcome_publish(
            actor=world.national,
            subject=debate,
            decided_id="Afternoon sessions will start in January.",
            changed_id="",
            stage=Stage.IN_PROGRESS,
        )
        services.debate_close(actor=world.supervisor, debate=debate)
        services.outcome_publish(
            actor=world.national,
            subject=debate,
            decided_id="Afternoon sessions start in January.",
            changed_id="Two sessions.",
            stage=Stage.DONE,
        )
        assert [c.stage for c in selectors.timeline_of(debate)] == [
            Stage.OPENED,
            Stage.IN_PROGRESS,
            Stage.CLOSED,
            Stage.DONE,
        ]


def test_the_author_and_supporters_are_told_of_the_answer(world: World) -> None:
    from django.core import mail

    from gerbang.notifications.models import OutboxMessage
    from gerbang.notifications.services import messages_dispatch

    proposal = services.proposal_submit(
        actor=world.people[0],
        title="Saturday passport service",
        body="Open the passport counters on two Saturdays a month for people who work.",
        office=world.office,
        threshold=2,
    ).proposal
    services.proposal_support(actor=world.people[1], proposal=proposal)
    proposal = services.proposal_support(actor=world.people[2], proposal=proposal)
    assert not OutboxMessage.objects.exists()
    services.proposal_answer(
        actor=world.supervisor,
        proposal=proposal,
        accepted=True,
        answer_id="We open on two Saturdays a month.",
    )
    told = set(
        OutboxMessage.objects.filter(kind="participation.proposal_answered").values_list(
            "recipient", flat=True
        )
    )
    assert told == {world.people[0].pk, world.people[1].pk, world.people[2].pk}
    messages_dispatch(list(OutboxMessage.objects.values_list("pk", flat=True)))
    own = next(m for m in mail.outbox if m.to == [world.people[0].email])
    other = next(m for m in mail.outbox if m.to == [world.people[1].email])
    assert "We open on two Saturdays a month." in own.body
    assert "answered your proposal" in own.body or "usulan Anda" in own.body
    assert "you supported" in other.body or "yang Anda dukung" in other.body


class TestTrialFixes:
    """What the trial of issue 19 found: drafts, fixed questions, the answer's word in the
    reader's language, withdrawn supports, and what changed while under way."""

    def test_a_survey_is_a_draft_until_published_with_questions(self, world: World) -> None:
        now = timezone.now()
        survey = services.survey_create(
            actor=world.supervisor,
            title_id="Parking survey",
            description_id="",
            office=world.office,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=30),
        )
        assert not survey.is_published
        assert not selectors.surveys_public().filter(pk=survey.pk).exists()
        assert not selectors.open_surveys().filter(pk=survey.pk).exists()
        assert selectors.why_not_answer(world.people[0], survey) == str(selectors.NOT_OPEN_YET)
        with pytest.raises(Conflict) as empty:
            services.survey_publish(actor=world.supervisor, survey=survey)
        assert empty.value.message == services.NO_QUESTIONS
        services.question_add(
            actor=world.supervisor, survey=survey, kind="scale", text_id="How easy is parking?"
        )
        with pytest.raises(PermissionDenied):
            services.survey_publish(actor=world.other_supervisor, survey=survey)
        survey = services.survey_publish(actor=world.supervisor, survey=survey)
        assert survey.is_published
        assert selectors.open_surveys().filter(pk=survey.pk).exists()
        assert selectors.why_not_answer(world.people[0], survey) is None
        with pytest.raises(Conflict):
            services.survey_publish(actor=world.supervisor, survey=survey)

    def test_a_draft_cannot_be_closed(self, world: World) -> None:
        survey = world.survey(office=world.office, publish=False)
        with pytest.raises(Conflict):
            services.survey_close(actor=world.supervisor, survey=survey)
        survey.refresh_from_db()
        assert survey.closed_at is None

    def test_a_draft_cannot_be_answered(self, world: World) -> None:
        survey = world.survey(publish=False)
        with pytest.raises(Conflict):
            services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
        assert not Response.objects.exists()

    def test_answered_questions_are_fixed_with_a_clear_message(self, world: World) -> None:
        survey = world.survey()
        # Published but not answered yet: a question may still be added.
        services.question_add(actor=DEMO, survey=survey, kind="scale", text_id="How clean was it?")
        services.survey_answer(
            actor=world.people[0],
            survey=survey,
            answers={**good_answers(survey), survey.questions.last().pk: 3},  # type: ignore[union-attr]
        )
        with pytest.raises(Conflict) as fixed:
            services.question_add(actor=DEMO, survey=survey, kind="scale", text_id="One more question?")
        assert fixed.value.message == services.QUESTIONS_FIXED

    def test_the_answer_to_a_proposal_is_stored_as_a_code_and_shown_in_the_readers_language(
        self, world: World
    ) -> None:
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
                actor=world.supervisor, proposal=proposal, accepted=False, answer_id="Not now, sorry."
            )
        change = StatusChange.objects.get(stage=Stage.ANSWERED)
        assert change.note_id == ProposalStatus.REJECTED
        with translation.override("en"):
            assert change.note_label == "Not accepted"
        # A free note is shown in the reader's language, or in the other one, marked.
        note = StatusChange(note_id="Dua kali sebulan", note_en="Twice a month")
        with translation.override("en"):
            assert note.note_label == "Twice a month"
        with translation.override("id"):
            assert note.note_label == "Dua kali sebulan"
        with translation.override("en"):
            label = StatusChange(note_id="Dua kali sebulan").note_label
            assert label == "Dua kali sebulan" and getattr(label, "is_fallback", False)

    def test_supports_can_be_withdrawn(self, world: World) -> None:
        debate = world.debate()
        post = services.post_publish(actor=world.people[0], debate=debate, body="Afternoon please.").post
        services.post_support(actor=world.people[1], post=post)
        services.post_support_withdraw(actor=world.people[1], post=post)
        assert not post.supports.exists()
        with pytest.raises(Conflict):
            services.post_support_withdraw(actor=world.people[1], post=post)
        services.post_support(actor=world.people[1], post=post)  # and given again
        proposal = services.proposal_submit(
            actor=world.people[0],
            title="Saturday passport service",
            body="Open the passport counters on two Saturdays a month for people who work.",
            office=world.office,
            threshold=2,
        ).proposal
        proposal = services.proposal_support(actor=world.people[1], proposal=proposal)
        assert proposal.supports_count == 1
        proposal = services.proposal_support_withdraw(actor=world.people[1], proposal=proposal)
        assert proposal.supports_count == 0 and not proposal.supports.exists()
        with pytest.raises(Conflict):
            services.proposal_support_withdraw(actor=world.people[1], proposal=proposal)
        for person in world.people[1:3]:
            proposal = services.proposal_support(actor=person, proposal=proposal)
        assert proposal.status == ProposalStatus.AWAITING
        # Sent to its unit, it stays sent; answered, its supports are fixed.
        proposal = services.proposal_support_withdraw(actor=world.people[2], proposal=proposal)
        assert proposal.status == ProposalStatus.AWAITING and proposal.supports_count == 1
        proposal = services.proposal_answer(
            actor=world.supervisor, proposal=proposal, accepted=True, answer_id="Accepted, we do it."
        )
        with pytest.raises(Conflict):
            services.proposal_support_withdraw(actor=world.people[1], proposal=proposal)

    def test_what_changed_may_wait_while_under_way_and_is_required_once_done(self, world: World) -> None:
        debate = world.debate()
        services.debate_close(actor=world.supervisor, debate=debate)
        outcome = services.outcome_publish(
            actor=world.supervisor,
            subject=debate,
            decided_id="Afternoon sessions start in January.",
            changed_id="",
            stage=Stage.IN_PROGRESS,
        )
        assert outcome.changed == ""
        with pytest.raises(ValidationError) as refused:
            services.outcome_publish(
                actor=world.supervisor,
                subject=debate,
                decided_id="Afternoon sessions started in January.",
                changed_id="",
                stage=Stage.DONE,
            )
        assert refused.value.field == "changed_id"

    def test_masking_uses_the_marker_reviews_use(self) -> None:
        assert mask("Call me on 081234567890 please")[0] == "Call me on [•••] please"
