"""The staff's wording found unclear in a trial: the results file's question column, the kinds
of question, the help of "where it stands" on each kind of item, and the empty survey choice
of a new debate."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from gerbang.participation import exports, services
from gerbang.participation.forms import OutcomeForm, QuestionForm
from gerbang.participation.models import QuestionKind
from gerbang.participation.tests.conftest import World
from gerbang.participation.tests.test_views import browser

pytestmark = pytest.mark.django_db


def test_the_results_question_column_is_not_the_faq_word() -> None:
    # The bare msgid "Question" is the FAQ menu's ("Tanya jawab" in the Indonesian catalogue).
    with translation.override("id"):
        assert exports.columns()[1] != "Tanya jawab"
    with translation.override("en"):
        assert exports.columns()[1] == "Question"


def test_the_kinds_of_question_say_how_many_answers_and_are_explained() -> None:
    with translation.override("en"):
        assert str(QuestionKind.SINGLE.label) == "One choice"
        assert str(QuestionKind.MULTIPLE.label) == "Several choices (tick all that apply)"
        help_text = str(QuestionForm().fields["kind"].help_text)
    for kind in ("One choice:", "Several choices:", "Scale:", "Ranking:", "Free text:"):
        assert kind in help_text


def test_where_it_stands_names_a_debate_only_on_a_debate(world: World) -> None:
    with translation.override("en"):
        assert "debate" in str(OutcomeForm(kind="debate").fields["stage"].help_text)
        for kind in ("survey", "proposal"):
            assert "debate" not in str(OutcomeForm(kind=kind).fields["stage"].help_text)
    proposal = services.proposal_submit(
        actor=world.people[0],
        title="Saturday service",
        body="Open the passport counters on two Saturdays a month for workers.",
        office=world.office,
        threshold=1,
    ).proposal
    services.proposal_support(actor=world.people[1], proposal=proposal)
    services.proposal_answer(
        actor=world.supervisor, proposal=proposal, accepted=True, answer_id="Accepted: two Saturdays."
    )
    client = browser(world.supervisor)
    page = client.get(reverse("backoffice:participation_proposal", args=[proposal.pk])).content.decode()
    assert "Where it stands" in page and "A debate that is still open" not in page
    debate = world.debate()
    page = client.get(reverse("backoffice:participation_debate", args=[debate.pk])).content.decode()
    assert "A debate that is still open cannot be marked done" in page


def test_a_new_debate_offers_no_survey_in_words(world: World) -> None:
    page = browser(world.supervisor).get(reverse("backoffice:participation_debate_new")).content.decode()
    assert '<option value="" selected>No survey</option>' in page and "---------" not in page
