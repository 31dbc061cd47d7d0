"""Closing a survey or a debate cannot be undone: the button leads to a confirmation page (no
JavaScript needed) and only its form acts. A closed survey answered by fewer people than
``SURVEY_RESULTS_MIN_RESPONDENTS`` publishes only how many answered (page, CSV, API), so no one
can be recognised; staff still see the results, and the confirmation warns them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from gerbang.participation import selectors, services
from gerbang.participation.models import Debate, Survey
from gerbang.participation.tests.conftest import World, good_answers
from gerbang.participation.tests.test_views import browser

pytestmark = pytest.mark.django_db


def answered_by(world: World, count: int) -> Survey:
    survey = world.survey(office=world.office)
    for person in world.people[:count]:
        services.survey_answer(actor=person, survey=survey, answers=good_answers(survey))
    return survey


def rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8").lstrip("\ufeff"))))


class TestConfirmation:
    def test_closing_a_survey_asks_first_and_warns_of_few_answers(self, world: World, settings: Any) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 5
        survey = answered_by(world, 1)
        client = browser(world.supervisor)
        url = reverse("backoffice:participation_survey_close", args=[survey.pk])
        page = client.get(reverse("backoffice:participation_survey", args=[survey.pk])).content.decode()
        assert f'href="{url}"' in page and f'action="{url}"' not in page
        asked = client.get(url)
        text = asked.content.decode()
        assert asked.status_code == 200 and "This cannot be undone." in text
        assert "Only 1 person has answered, fewer than 5" in text
        assert 'name="confirmed" value="yes"' in text
        # A POST without the confirmation (an old form, a stray request) only asks.
        assert client.post(url).status_code == 200
        survey.refresh_from_db()
        assert not survey.is_closed()
        done = client.post(url, {"confirmed": "yes"})
        assert done.status_code == 302
        survey.refresh_from_db()
        assert survey.is_closed()

    def test_enough_answers_no_warning(self, world: World, settings: Any) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 2
        survey = answered_by(world, 2)
        url = reverse("backoffice:participation_survey_close", args=[survey.pk])
        assert "fewer than" not in browser(world.supervisor).get(url).content.decode()

    def test_closing_a_debate_asks_first(self, world: World) -> None:
        debate = world.debate()
        client = browser(world.supervisor)
        url = reverse("backoffice:participation_debate_close", args=[debate.pk])
        page = client.get(reverse("backoffice:participation_debate", args=[debate.pk])).content.decode()
        assert f'href="{url}"' in page
        assert "This cannot be undone." in client.get(url).content.decode()
        client.post(url)
        assert Debate.objects.get(pk=debate.pk).closed_at is None
        client.post(url, {"confirmed": "yes"})
        assert Debate.objects.get(pk=debate.pk).closed_at is not None

    def test_others_are_refused(self, world: World) -> None:
        debate = world.debate()
        survey = answered_by(world, 1)
        officer = browser(world.officer)
        assert (
            officer.get(reverse("backoffice:participation_debate_close", args=[debate.pk])).status_code == 403
        )
        assert (
            officer.get(reverse("backoffice:participation_survey_close", args=[survey.pk])).status_code == 403
        )


class TestWithheld:
    def test_too_few_answers_show_only_their_number(self, world: World, settings: Any) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 5
        survey = answered_by(world, 1)
        services.survey_close(actor=world.supervisor, survey=survey)
        page = browser().get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
        assert "1 person answered." in page
        assert "Fewer than 5 people answered this survey, so its results are not published" in page
        assert "Rank the improvements" not in page and "Walk-in" not in page
        public_csv = rows(
            browser().get(reverse("participation:survey_results_csv", args=[survey.pk])).content
        )
        assert public_csv[0] == ["Respondents", "Results"] and public_csv[1][0] == "1"
        assert len(public_csv) == 2 and "Walk-in" not in str(public_csv)
        api = browser().get(f"/api/v1/surveys/{survey.pk}").json()
        assert api["respondents"] == 1 and api["results_withheld"] is True
        results = browser().get(f"/api/v1/surveys/{survey.pk}/results")
        # The API speaks the site's default language (Indonesian) to a client that sets none.
        with translation.override("id"):
            withheld = str(selectors.RESULTS_WITHHELD % {"min": 5})
        assert results.status_code == 409 and results.json()["detail"] == withheld
        # Staff, who run it, still see them.
        staff = browser(world.supervisor)
        staff_page = staff.get(reverse("backoffice:participation_survey", args=[survey.pk])).content.decode()
        assert "the public sees only how many did" in staff_page
        staff_csv = rows(
            staff.get(reverse("backoffice:participation_survey_results_csv", args=[survey.pk])).content
        )
        assert "Walk-in" in str(staff_csv)

    def test_at_the_minimum_the_results_are_published(self, world: World, settings: Any) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 2
        survey = answered_by(world, 2)
        services.survey_close(actor=world.supervisor, survey=survey)
        page = browser().get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
        assert "Walk-in" in page and "are not published" not in page
        api = browser().get(f"/api/v1/surveys/{survey.pk}").json()
        assert api["results_withheld"] is False
        assert browser().get(f"/api/v1/surveys/{survey.pk}/results").status_code == 200

    def test_the_default_minimum_is_five(self) -> None:
        from django.conf import settings as django_settings

        assert django_settings.SURVEY_RESULTS_MIN_RESPONDENTS == 5
