"""A draft survey's questions are changed (the adding form, prefilled, same checks), removed
(after a confirmation) and moved up or down; once the survey is published, all three are
refused with a message that says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.participation import services
from gerbang.participation.models import Question, Survey
from gerbang.participation.tests.conftest import World
from gerbang.participation.tests.test_views import browser

pytestmark = pytest.mark.django_db

DRAFT_ONLY = "The survey is published: its questions can no longer be changed, removed or moved"


def texts(survey: Survey) -> list[str]:
    return list(survey.questions.order_by("position").values_list("text_id", flat=True))


class TestServices:
    def test_a_draft_question_is_changed_with_the_same_checks(self, world: World) -> None:
        survey = world.survey(office=world.office, publish=False)
        question = survey.questions.get(kind="single")
        with pytest.raises(ValidationError) as bad:
            services.question_update(
                actor=world.supervisor,
                question=question,
                kind="multiple",
                text_id="Wh?",
                choices_id=["One"],
            )
        assert {bad.value.field, *(e.field for e in getattr(bad.value, "others", ()))} >= {
            "text_id",
            "choices_id",
        }
        services.question_update(
            actor=world.supervisor,
            question=question,
            kind="multiple",
            text_id="Bagaimana Anda mendaftar?",
            text_en="How did you apply?",
            choices_id=["Daring", "Datang langsung"],
            choices_en=["Online", "Walk-in"],
            required=False,
        )
        question.refresh_from_db()
        assert (question.kind, question.text_id, question.choices_en, question.required) == (
            "multiple",
            "Bagaimana Anda mendaftar?",
            ["Online", "Walk-in"],
            False,
        )
        assert Event.objects.filter(code="participation.question_changed", actor=world.supervisor).exists()
        with pytest.raises(PermissionDenied):
            services.question_update(
                actor=world.other_supervisor, question=question, kind="text", text_id="Anything else to say?"
            )

    def test_removed_and_moved_keep_the_order_numbered(self, world: World) -> None:
        survey = world.survey(office=world.office, publish=False)
        first, second, third, fourth, fifth = survey.questions.order_by("position")
        services.question_delete(actor=world.supervisor, question=second)
        assert list(survey.questions.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4]
        services.question_move(actor=world.supervisor, question=fourth, up=True)
        assert texts(survey) == [first.text_id, fourth.text_id, third.text_id, fifth.text_id]
        services.question_move(actor=world.supervisor, question=first, up=False)
        assert texts(survey) == [fourth.text_id, first.text_id, third.text_id, fifth.text_id]
        # At the top, up changes nothing.
        services.question_move(actor=world.supervisor, question=fourth, up=True)
        assert texts(survey)[0] == fourth.text_id
        codes = set(Event.objects.values_list("code", flat=True))
        assert {"participation.question_removed", "participation.question_moved"} <= codes

    def test_refused_once_published(self, world: World) -> None:
        survey = world.survey(office=world.office)
        question = survey.questions.first()
        assert question is not None
        for attempt in (
            lambda: services.question_update(
                actor=world.supervisor, question=question, kind="text", text_id="Anything else to say?"
            ),
            lambda: services.question_delete(actor=world.supervisor, question=question),
            lambda: services.question_move(actor=world.supervisor, question=question, up=False),
        ):
            with pytest.raises(Conflict) as refused:
                attempt()
            assert str(refused.value.message).startswith(DRAFT_ONLY)
        assert survey.questions.count() == 5


class TestPages:
    def test_staff_change_a_question_with_the_prefilled_form(self, world: World) -> None:
        survey = world.survey(office=world.office, publish=False)
        question = survey.questions.get(kind="single")
        client = browser(world.supervisor)
        page = client.get(reverse("backoffice:participation_survey", args=[survey.pk])).content.decode()
        url = reverse("backoffice:participation_question_edit", args=[survey.pk, question.pk])
        assert url in page
        form = client.get(url).content.decode()
        assert 'value="How did you apply?"' in form and "Online\nWalk-in</textarea>" in form
        assert 'class="bilingual"' in form and '<option value="single" selected>' in form
        refused = client.post(
            url,
            {
                "question-kind": "ranking",
                "question-text_id": "Urutkan perbaikan yang Anda inginkan",
                "question-choices_id": "Satu saja",
            },
        )
        assert refused.status_code == 400 and "choices_id" in refused.context["form"].errors
        assert 'value="Urutkan perbaikan yang Anda inginkan"' in refused.content.decode()
        question.refresh_from_db()
        assert question.kind == "single"
        done = client.post(
            url,
            {
                "question-kind": "ranking",
                "question-text_id": "Urutkan perbaikan yang Anda inginkan",
                "question-choices_id": "Kuota\nSabtu",
                "question-required": "on",
            },
        )
        assert done.status_code == 302
        question.refresh_from_db()
        assert (question.kind, question.choices_id) == ("ranking", ["Kuota", "Sabtu"])

    def test_staff_remove_after_confirming_and_move(self, world: World) -> None:
        survey = world.survey(office=world.office, publish=False)
        first, second = survey.questions.order_by("position")[:2]
        client = browser(world.supervisor)
        url = reverse("backoffice:participation_question_delete", args=[survey.pk, second.pk])
        asked = client.get(url).content.decode()
        assert "Remove this question?" in asked and second.text_id in asked
        client.post(url)
        assert Question.objects.filter(pk=second.pk).exists()
        client.post(url, {"confirmed": "yes"})
        assert not Question.objects.filter(pk=second.pk).exists()
        move = reverse("backoffice:participation_question_move", args=[survey.pk, first.pk])
        client.post(move, {"direction": "down"})
        assert texts(survey)[1] == first.text_id

    def test_a_published_survey_offers_none_and_refuses_with_a_message(self, world: World) -> None:
        survey = world.survey(office=world.office)
        question = survey.questions.get(kind="single")
        client = browser(world.supervisor)
        page = client.get(reverse("backoffice:participation_survey", args=[survey.pk])).content.decode()
        edit = reverse("backoffice:participation_question_edit", args=[survey.pk, question.pk])
        assert edit not in page
        for response in (
            client.get(edit, follow=True),
            client.post(edit, {"question-kind": "text", "question-text_id": "Anything else?"}, follow=True),
            client.post(
                reverse("backoffice:participation_question_delete", args=[survey.pk, question.pk]),
                {"confirmed": "yes"},
                follow=True,
            ),
            client.post(
                reverse("backoffice:participation_question_move", args=[survey.pk, question.pk]),
                {"direction": "down"},
                follow=True,
            ),
        ):
            assert DRAFT_ONLY in response.content.decode()
        question.refresh_from_db()
        assert question.text_id == "How did you apply?" and survey.questions.count() == 5
        assert texts(survey)[0] == "How did you apply?"

    def test_others_cannot(self, world: World) -> None:
        survey = world.survey(office=world.office, publish=False)
        question = survey.questions.first()
        assert question is not None
        edit = reverse("backoffice:participation_question_edit", args=[survey.pk, question.pk])
        assert browser(world.officer).get(edit).status_code == 403
        assert browser(world.other_supervisor).get(edit).status_code == 404
