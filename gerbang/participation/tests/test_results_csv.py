"""A closed survey's results as CSV, for staff (the download is audited) and on the public
results page: the results selector's aggregates, only approved written answers, masked; an open
survey has none."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from gerbang.core.models import Event
from gerbang.participation import exports, selectors, services
from gerbang.participation.models import Answer, Survey
from gerbang.participation.tests.conftest import World, good_answers
from gerbang.participation.tests.test_views import browser

pytestmark = pytest.mark.django_db


def closed_survey(world: World) -> Survey:
    """Three people answered; of their written answers one was approved (with a phone number in
    it), one rejected and one waits."""
    survey = world.survey(office=world.office)
    texts = [
        "Tolong tambah kuota. WA saya 081298765432.",
        "Petugas loket dua kasar sekali.",
        '=HYPERLINK("http://example.test")',
    ]
    for person, text in zip(world.people[:3], texts, strict=True):
        answers = good_answers(survey)
        answers[survey.questions.get(kind="text").pk] = text
        services.survey_answer(actor=person, survey=survey, answers=answers)
    written = list(Answer.objects.filter(question__survey=survey, question__kind="text").order_by("id"))
    services.text_answer_moderate(actor=world.supervisor, answer=written[0], approve=True)
    services.text_answer_moderate(actor=world.supervisor, answer=written[1], approve=False)
    services.survey_close(actor=world.supervisor, survey=survey)
    survey.refresh_from_db()
    return survey


def parse(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def by_question(rows: list[dict[str, str]], number: int) -> list[dict[str, str]]:
    return [row for row in rows if row["No."] == str(number)]


def test_the_file_holds_the_selector_aggregates_and_only_approved_masked_texts(world: World) -> None:
    survey = closed_survey(world)
    with translation.override("en"):
        rows = parse(exports.results_csv(survey))
        results = selectors.survey_results(survey)
    single, multiple, scale, ranking, text = (by_question(rows, n) for n in range(1, 6))
    assert [(r["Answer"], r["People"], r["Percent"]) for r in single] == [
        (choice, str(count), str(share)) for choice, count, share in results[0].rows
    ]
    assert single[0]["Question"] == "How did you apply?" and single[0]["Kind"] == "One choice"
    assert all(r["Respondents"] == "3" for r in single)
    assert [(r["Answer"], r["People"]) for r in multiple] == [
        (choice, str(count)) for choice, count, _share in results[1].rows
    ]
    assert [(r["Answer"], r["People"]) for r in scale[:5]] == [(str(v), str(c)) for v, c in results[2].scale]
    assert scale[5]["Answer"] == "Average" and scale[5]["Average (1 to 5)"] == str(results[2].mean)
    assert [(r["Answer"], r["Average place"], r["Ranked first"]) for r in ranking] == [
        (choice, str(average), str(int(firsts))) for choice, average, firsts in results[3].rows
    ]
    written = [r["Written answer"] for r in text if r["Written answer"]]
    assert written == ["Tolong tambah kuota. WA saya [•••]."]
    content = exports.results_csv(survey).decode()
    assert "081298765432" not in content and "kasar" not in content
    # The one waiting is counted, as the page counts it; never shown.
    assert [(r["Answer"], r["People"]) for r in text if not r["Written answer"]] == [
        ("Waiting for moderation", "1")
    ]
    assert "HYPERLINK" not in content


def test_a_text_a_spreadsheet_would_run_is_kept_as_text(world: World) -> None:
    survey = closed_survey(world)
    formula = Answer.objects.get(question__survey=survey, text_status="pending")
    services.text_answer_moderate(actor=world.supervisor, answer=formula, approve=True)
    with translation.override("en"):
        rows = parse(exports.results_csv(survey))
    written = [r["Written answer"] for r in by_question(rows, 5) if r["Written answer"]]
    assert '\'=HYPERLINK("http://example.test")' in written


def test_staff_download_a_closed_survey_and_the_download_is_audited(world: World, settings: Any) -> None:
    settings.SURVEY_RESULTS_MIN_RESPONDENTS = 1
    survey = closed_survey(world)
    url = reverse("backoffice:participation_survey_results_csv", args=[survey.pk])
    client = browser(world.officer)  # viewing participation is enough
    page = client.get(reverse("backoffice:participation_survey", args=[survey.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content == _public_file(survey)
    event = Event.objects.get(code="participation.results_exported")
    assert event.actor_id == world.officer.pk and event.subject_id == str(survey.pk)
    assert browser(world.other_supervisor).get(url).status_code == 404
    assert browser(world.people[0]).get(url).status_code in (302, 403)
    assert Event.objects.filter(code="participation.results_exported").count() == 1


def _public_file(survey: Survey) -> bytes:
    response = browser().get(reverse("participation:survey_results_csv", args=[survey.pk]))
    assert response.status_code == 200
    return bytes(response.content)


def test_the_public_results_page_links_the_same_file(world: World, settings: Any) -> None:
    settings.SURVEY_RESULTS_MIN_RESPONDENTS = 1
    survey = closed_survey(world)
    page = browser().get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
    assert reverse("participation:survey_results_csv", args=[survey.pk]) in page
    with translation.override("en"):
        expected = exports.results_csv(survey)
    assert _public_file(survey) == expected
    # A visitor's download is not a staff read: nothing is recorded.
    assert not Event.objects.filter(code="participation.results_exported").exists()


def test_an_open_survey_has_no_file(world: World) -> None:
    survey = world.survey(office=world.office)
    services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
    public = browser().get(reverse("participation:survey_results_csv", args=[survey.pk]))
    assert public.status_code == 302 and public["Location"] == reverse(
        "participation:survey", args=[survey.pk]
    )
    staff: Any = browser(world.supervisor).get(
        reverse("backoffice:participation_survey_results_csv", args=[survey.pk]), follow=True
    )
    assert "text/csv" not in staff["Content-Type"]
    assert "The results can be downloaded once the survey has closed." in staff.content.decode()
    assert not Event.objects.filter(code="participation.results_exported").exists()
