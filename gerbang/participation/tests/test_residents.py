"""Surveys for the residents of an office's working area: where a person resides is read from
the NIK on their profile (its regency code) and checked against the office's area codes."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gerbang.accounts.tests.factories import UserFactory
from gerbang.catalog.models import Office
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.participation import selectors, services
from gerbang.participation.forms import SurveyForm
from gerbang.participation.models import Response, Survey
from gerbang.participation.tests.conftest import World, good_answers
from gerbang.participation.tests.test_views import browser, form_data

pytestmark = pytest.mark.django_db

MESUJI_NIK = "1811015708900001"
TULANG_BAWANG_NIK = "1805015708900002"
MAKASSAR_NIK = "7371015708900003"
# The office's working area as pages name it (the Kemendagri list, catalog/data/regions.csv).
AREA = "Kabupaten Mesuji (1811), Kabupaten Tulang Bawang (1805), Kabupaten Tulang Bawang Barat (1812)"


@pytest.fixture
def area(world: World) -> World:
    Office.objects.filter(pk=world.office.pk).update(area_codes="1811,1805,1812")
    world.office.refresh_from_db()
    return world


def resident(nik: str, email: str) -> Any:
    return UserFactory.create(nik=nik, email=email)


class TestRefusalAndAcceptance:
    def test_residents_of_the_area_answer(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        for nik, email in ((MESUJI_NIK, "a@example.test"), (TULANG_BAWANG_NIK, "b@example.test")):
            person = resident(nik, email)
            assert selectors.why_not_answer(person, survey) is None
            services.survey_answer(actor=person, survey=survey, answers=good_answers(survey))
        assert Response.objects.filter(survey=survey).count() == 2

    def test_someone_from_outside_the_area_is_refused_naming_the_area(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        outsider = resident(MAKASSAR_NIK, "c@example.test")
        with pytest.raises(Conflict) as refused:
            services.survey_answer(actor=outsider, survey=survey, answers=good_answers(survey))
        message = str(refused.value.message)
        assert message == str(selectors.NOT_RESIDENT % selectors.area_of(area.office))
        assert "Kantor Imigrasi Mesuji" in message and AREA in message
        assert not Response.objects.exists()

    def test_someone_without_a_nik_is_told_to_add_it(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        no_nik = area.people[0]
        assert no_nik.nik == ""
        with pytest.raises(Conflict) as refused:
            services.survey_answer(actor=no_nik, survey=survey, answers=good_answers(survey))
        assert str(refused.value.message) == str(selectors.NO_NIK % selectors.area_of(area.office))
        assert selectors.needs_nik(no_nik, survey)
        assert not selectors.needs_nik(resident(MAKASSAR_NIK, "c@example.test"), survey)

    def test_a_survey_open_to_all_ignores_residence(self, area: World) -> None:
        survey = area.survey(office=area.office)
        assert selectors.why_not_answer(resident(MAKASSAR_NIK, "c@example.test"), survey) is None
        assert selectors.why_not_answer(area.people[0], survey) is None
        assert not selectors.needs_nik(area.people[0], survey)

    def test_both_restrictions_together(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True, served_only=True)
        # A resident never served there is refused for that.
        refusal = selectors.why_not_answer(resident(MESUJI_NIK, "a@example.test"), survey)
        assert refusal == str(selectors.NOT_SERVED % {"office": area.office.name})


class TestMaking:
    def test_needs_an_office(self, area: World) -> None:
        with pytest.raises(ValidationError) as refused:
            area.survey(residents_only=True)
        assert refused.value.field == "residents_only"

    def test_needs_an_office_with_a_working_area(self, area: World) -> None:
        with pytest.raises(ValidationError) as refused:
            area.survey(office=area.other_office, residents_only=True)
        assert refused.value.field == "residents_only"
        assert "Kantor Imigrasi Makassar" in str(refused.value.message)
        assert not Survey.objects.exists()

    def test_changed_on_an_open_survey(self, area: World) -> None:
        survey = area.survey(office=area.office)
        services.survey_update(
            actor=area.supervisor,
            survey=survey,
            title_id=survey.title_id,
            description_id=survey.description_id,
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
            residents_only=True,
        )
        survey.refresh_from_db()
        assert survey.residents_only and not survey.served_only
        other = area.survey(office=area.other_office)
        with pytest.raises(ValidationError) as refused:
            services.survey_update(
                actor=area.national,
                survey=other,
                title_id=other.title_id,
                description_id=other.description_id,
                opens_at=other.opens_at,
                closes_at=other.closes_at,
                residents_only=True,
            )
        assert refused.value.field == "residents_only"


class TestPages:
    def test_the_page_says_who_may_answer_before_they_start(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        page = browser().get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert "Only residents of the working area of Kantor Imigrasi Mesuji" in page
        assert AREA in page

    def test_who_may_answer_is_said_once(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        url = reverse("participation:survey", args=[survey.pk])
        for client in (browser(area.people[0]), browser(resident(MAKASSAR_NIK, "c@example.test"))):
            page = client.get(url).content.decode()
            assert page.count("working area of Kantor Imigrasi Mesuji") == 1
            assert page.count(AREA) == 1
            # Sent back from the answer page: the refusal is on the page, not also in a message.
            answer = reverse("participation:survey_answer", args=[survey.pk])
            page = client.get(answer, follow=True).content.decode()
            assert page.count("working area of Kantor Imigrasi Mesuji") == 1
        page = browser(resident(MESUJI_NIK, "a@example.test")).get(url).content.decode()
        assert page.count("Only residents of the working area of Kantor Imigrasi Mesuji") == 1

    def test_without_a_nik_the_page_links_to_the_profile(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        client = browser(area.people[0])
        response = client.get(reverse("participation:survey_answer", args=[survey.pk]), follow=True)
        page = response.content.decode()
        assert "Add your NIK on your profile page" in page
        assert f'href="{reverse("accounts:profile")}"' in page
        assert 'href="{}"'.format(reverse("participation:survey_answer", args=[survey.pk])) not in page

    def test_an_outsider_is_refused_and_a_resident_answers(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        url = reverse("participation:survey_answer", args=[survey.pk])
        outsider = browser(resident(MAKASSAR_NIK, "c@example.test"))
        refused = outsider.post(url, form_data(survey), follow=True).content.decode()
        assert "The NIK on your profile is from another regency or city" in refused
        assert "Add your NIK on your profile page" not in refused
        assert not Response.objects.exists()
        response = browser(resident(MESUJI_NIK, "a@example.test")).post(url, form_data(survey))
        assert response.status_code == 302
        assert Response.objects.filter(survey=survey).count() == 1


class TestStaffForm:
    def test_the_form_has_the_choice_and_it_is_saved(self, area: World) -> None:
        client = browser(area.supervisor)
        now = timezone.localtime()
        data = {
            "title_id": "Waiting room",
            "unit": "mesuji",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "residents_only": "on",
        }
        response = client.post(reverse("backoffice:participation_survey_new"), data)
        assert response.status_code == 302
        survey = Survey.objects.get()
        assert survey.residents_only
        page = client.get(reverse("backoffice:participation_survey", args=[survey.pk])).content.decode()
        assert "only residents of the office" in page and AREA in page
        edit = reverse("backoffice:participation_survey_edit", args=[survey.pk])
        assert 'name="residents_only"' in client.get(edit).content.decode()
        client.post(edit, {**data, "residents_only": ""})
        survey.refresh_from_db()
        assert not survey.residents_only

    def test_an_office_without_an_area_is_refused_on_the_field(self, area: World) -> None:
        client = browser(area.national)
        now = timezone.localtime()
        response = client.post(
            reverse("backoffice:participation_survey_new"),
            {
                "title_id": "Waiting room",
                "unit": "makassar",
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                "residents_only": "on",
            },
        )
        assert response.status_code == 400
        errors = response.context["form"].errors["residents_only"]
        assert "has no working area yet" in errors[0]
        assert 'value="Waiting room"' in response.content.decode()
        assert not Survey.objects.exists()

    def test_unticked_by_default(self) -> None:
        form = SurveyForm(offices=Office.objects.none(), national=True)
        assert not form.fields["residents_only"].required
        assert form["residents_only"].value() in (None, False)


class TestMigrations:
    def test_defaults_keep_existing_surveys_and_offices_open_to_all(self, world: World) -> None:
        survey_step = importlib.import_module("gerbang.participation.migrations.0003_survey_residents_only")
        office_step = importlib.import_module("gerbang.catalog.migrations.0004_office_area_codes")
        (add_residents,) = survey_step.Migration.operations
        (add_area,) = office_step.Migration.operations
        assert add_residents.name == "residents_only" and add_residents.field.default is False
        assert add_area.name == "area_codes" and add_area.field.get_default() == "" and add_area.field.blank
        survey = world.survey(office=world.office)
        survey.refresh_from_db()
        world.office.refresh_from_db()
        assert survey.residents_only is False and world.office.area_codes == ""


class TestApi:
    def test_the_api_says_the_restriction_and_refuses_an_outsider(self, area: World) -> None:
        survey = area.survey(office=area.office, residents_only=True)
        client = Client()
        client.force_login(resident(MAKASSAR_NIK, "c@example.test"))
        detail = client.get(f"/api/v1/surveys/{survey.pk}").json()
        assert detail["residents_only"] is True and detail["served_only"] is False
        with translation.override("id"):  # the API answers in the site's default language
            assert detail["cannot_answer"] == str(selectors.NOT_RESIDENT % selectors.area_of(area.office))
        answers = {str(k): v for k, v in good_answers(survey).items()}
        refused = client.post(
            f"/api/v1/surveys/{survey.pk}/answers",
            json.dumps({"answers": answers}),
            content_type="application/json",
        )
        assert refused.status_code == 409
        assert not Response.objects.exists()
