"""What staff write is shown in the reader's language: English when it was written, otherwise the
Indonesian text marked ``lang="id"`` (with a note); the staff forms take both versions side by side
and refuse English choices that do not match the Indonesian ones, keeping what was typed; the API
gives both versions beside the one in the request's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.core.actors import DEMO
from gerbang.participation import selectors, services
from gerbang.participation.models import Debate, Proposal, QuestionKind, Stage, Survey
from gerbang.participation.tests.conftest import World

pytestmark = pytest.mark.django_db

CHOICES_ID = ["Ruang laktasi", "Tempat bermain anak", "Kursi tambahan"]
CHOICES_EN = ["A nursing room", "A children's play area", "More chairs"]


def visitor(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def staff_client(user: Any, language: str = "en") -> Client:
    # A signed-in account reads pages in its own language.
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    sign_in_with_2fa(client, user)
    return client


def _survey(world: World, *, english: bool) -> Survey:
    now = timezone.now()
    survey = services.survey_create(
        actor=DEMO,
        title_id="Survei ruang tunggu",
        title_en="Waiting room survey" if english else "",
        description_id="Pendapat Anda tentang ruang tunggu kami.",
        description_en="What you think of our waiting room." if english else "",
        office=world.office,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )
    services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.SINGLE,
        text_id="Fasilitas apa yang paling dibutuhkan?",
        text_en="Which facility is needed most?" if english else "",
        choices_id=CHOICES_ID,
        choices_en=CHOICES_EN if english else [],
    )
    services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.RANKING,
        text_id="Urutkan perbaikan",
        text_en="Rank the improvements" if english else "",
        choices_id=["Kursi", "Papan antrean"],
        choices_en=["Chairs", "Queue display"] if english else [],
    )
    return services.survey_publish(actor=DEMO, survey=survey)


def _closed_with_outcome(world: World, survey: Survey, *, english: bool) -> None:
    question = survey.questions.get(kind=QuestionKind.SINGLE)
    ranking = survey.questions.get(kind=QuestionKind.RANKING)
    services.survey_answer(actor=world.people[0], survey=survey, answers={question.pk: 2, ranking.pk: [1, 0]})
    services.survey_close(actor=DEMO, survey=survey)
    services.outcome_publish(
        actor=DEMO,
        subject=survey,
        decided_id="Kursi tambahan dipasang di ruang tunggu.",
        decided_en="More chairs were put in the waiting room." if english else "",
        changed_id="Tidak ada lagi yang berdiri saat menunggu.",
        changed_en="Nobody has to stand while waiting any more." if english else "",
        stage=Stage.DONE,
    )


class TestEnglishWhenWritten:
    def test_the_english_pages_show_the_english_version(self, world: World, settings: Any) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 1
        survey = _survey(world, english=True)
        english = visitor("en")
        page = english.get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert "<h1>Waiting room survey</h1>" in page
        assert "What you think of our waiting room." in page
        assert "Survei ruang tunggu" not in page and 'lang="id"' not in page.split("<main", 1)[-1]
        listed = english.get(reverse("participation:surveys")).content.decode()
        assert ">Waiting room survey</a>" in listed
        _closed_with_outcome(world, survey, english=True)
        results = english.get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
        assert "Which facility is needed most?" in results
        assert "<td>More chairs</td>" in results and "Kursi tambahan" not in results
        assert "Queue display" in results
        detail = english.get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert "More chairs were put in the waiting room." in detail
        assert "Nobody has to stand while waiting any more." in detail
        # The same pages in Indonesian show the Indonesian version.
        indonesian = visitor("id")
        page = indonesian.get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert "<h1>Survei ruang tunggu</h1>" in page and "Kursi tambahan dipasang" in page
        results = indonesian.get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
        assert "<td>Kursi tambahan</td>" in results and "More chairs" not in results

    def test_the_answer_page_asks_in_english(self, world: World) -> None:
        survey = _survey(world, english=True)
        person = world.people[0]
        person.language = "en"
        person.save(update_fields=["language"])
        client = Client()
        client.force_login(person)
        page = client.get(reverse("participation:survey_answer", args=[survey.pk])).content.decode()
        assert "Which facility is needed most?" in page and "A children&#x27;s play area" in page
        assert "Place of “Queue display”" in page and 'lang="id"' not in page.split("<main", 1)[-1]

    def test_a_debate_and_the_units_answer_in_english(self, world: World) -> None:
        debate = services.debate_create(
            actor=DEMO,
            title_id="Kuota pagi atau sore?",
            title_en="Morning or afternoon quota?",
            description_id="Apakah kuota paspor perlu dibagi menjadi sesi pagi dan sore?",
            description_en="Should the passport quota be split into morning and afternoon sessions?",
            office=world.office,
        )
        page = visitor("en").get(reverse("participation:debate", args=[debate.pk])).content.decode()
        assert "<h1>Morning or afternoon quota?</h1>" in page and "afternoon sessions?" in page
        proposal = _answered_proposal(world, english=True)
        page = visitor("en").get(reverse("participation:proposal", args=[proposal.pk])).content.decode()
        assert "We open on two Saturdays a month." in page and "Kami membuka" not in page
        assert "Answered by the unit (Accepted)" in page
        page = visitor("id").get(reverse("participation:proposal", args=[proposal.pk])).content.decode()
        assert "Kami membuka dua Sabtu sebulan." in page


def _answered_proposal(world: World, *, english: bool) -> Proposal:
    proposal = services.proposal_submit(
        actor=world.people[0],
        title="Layanan paspor hari Sabtu",
        body="Banyak pekerja sulit datang pada hari kerja; mohon buka layanan pada hari Sabtu.",
        office=world.office,
        threshold=1,
    ).proposal
    proposal = services.proposal_support(actor=world.people[1], proposal=proposal)
    return services.proposal_answer(
        actor=world.supervisor,
        proposal=proposal,
        accepted=True,
        answer_id="Kami membuka dua Sabtu sebulan.",
        answer_en="We open on two Saturdays a month." if english else "",
    )


class TestFallback:
    def test_without_english_the_indonesian_text_is_shown_marked(self, world: World, settings: Any) -> None:
        settings.SURVEY_RESULTS_MIN_RESPONDENTS = 1
        survey = _survey(world, english=False)
        english = visitor("en")
        page = english.get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert '<h1 lang="id">Survei ruang tunggu</h1>' in page
        assert '<p lang="id">Pendapat Anda tentang ruang tunggu kami.</p>' in page
        assert "This survey is not available in English yet; it is shown in Indonesian." in page
        listed = english.get(reverse("participation:surveys")).content.decode()
        assert 'lang="id">Survei ruang tunggu</a>' in listed
        _closed_with_outcome(world, survey, english=False)
        results = english.get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
        # The whole survey is in Indonesian: the page says so once; its texts are not each noted.
        assert "This survey is not available in English yet; it is shown in Indonesian." in results
        assert '<span lang="id">Fasilitas apa yang paling dibutuhkan?</span></h2>' in results
        assert '<td><span lang="id">Kursi tambahan</span></td>' in results
        detail = english.get(reverse("participation:survey", args=[survey.pk])).content.decode()
        # What came of it is noted: it is not covered by the notice.
        assert (
            '<dd><span lang="id">Kursi tambahan dipasang di ruang tunggu.</span>'
            ' <span class="other-language muted small">(in Indonesian)</span></dd>'
        ) in detail
        assert (
            'lang="id">Survei ruang tunggu</a> <span class="other-language muted small">(in Indonesian)</span>'
            in listed
        )
        # In Indonesian nothing is marked: it is the page's language.
        page = visitor("id").get(reverse("participation:survey", args=[survey.pk])).content.decode()
        assert "<h1>Survei ruang tunggu</h1>" in page and "it is shown in" not in page

    def test_the_answer_page_marks_the_questions_and_choices(self, world: World) -> None:
        survey = _survey(world, english=False)
        person = world.people[0]
        person.language = "en"
        person.save(update_fields=["language"])
        client = Client()
        client.force_login(person)
        page = client.get(reverse("participation:survey_answer", args=[survey.pk])).content.decode()
        assert '<span lang="id">Fasilitas apa yang paling dibutuhkan?</span>' in page
        assert '<span lang="id">Tempat bermain anak</span>' in page
        assert 'Place of “<span lang="id">Papan antrean</span>”' in page
        assert '<legend><span lang="id">Urutkan perbaikan</span>' in page
        assert "This survey is not available in English yet; it is shown in Indonesian." in page

    def test_a_text_left_untranslated_in_a_translated_survey_is_noted(self, world: World) -> None:
        survey = _survey(world, english=True)
        services.question_add(
            actor=DEMO,
            survey=survey,
            kind=QuestionKind.MULTIPLE,
            text_id="Kapan Anda datang?",
            choices_id=["Pagi", "Sore"],
        )
        note = '<span class="other-language muted small">(in Indonesian)</span>'
        client = Client()
        person = world.people[0]
        person.language = "en"
        person.save(update_fields=["language"])
        client.force_login(person)
        page = client.get(reverse("participation:survey_answer", args=[survey.pk])).content.decode()
        assert f'<span lang="id">Kapan Anda datang?</span> {note}' in page
        assert f'<span lang="id">Pagi</span> {note}' in page
        assert page.count(note) == 3 and "Which facility is needed most?" in page
        # The same in Indonesian: nothing to note.
        page = visitor("id").get(reverse("participation:surveys")).content.decode()
        assert "other-language" not in page

    def test_the_whole_survey_in_the_other_language_is_said_once(self, world: World) -> None:
        survey = _survey(world, english=False)
        person = world.people[0]
        person.language = "en"
        person.save(update_fields=["language"])
        client = Client()
        client.force_login(person)
        page = client.get(reverse("participation:survey_answer", args=[survey.pk])).content.decode()
        assert "it is shown in Indonesian" in page and "(in Indonesian)" not in page

    def test_a_debate_and_an_answer_without_english(self, world: World) -> None:
        debate = services.debate_create(
            actor=DEMO,
            title_id="Kuota pagi atau sore?",
            description_id="Apakah kuota paspor perlu dibagi menjadi sesi pagi dan sore?",
            office=world.office,
        )
        page = visitor("en").get(reverse("participation:debate", args=[debate.pk])).content.decode()
        assert '<h1 lang="id">Kuota pagi atau sore?</h1>' in page
        assert "This debate is not available in English yet; it is shown in Indonesian." in page
        proposal = _answered_proposal(world, english=False)
        page = visitor("en").get(reverse("participation:proposal", args=[proposal.pk])).content.decode()
        assert '<div class="message-text" lang="id">' in page and "Kami membuka dua Sabtu sebulan." in page
        assert '<p><span class="other-language muted small">(in Indonesian)</span></p>' in page


class TestStaffForms:
    def test_the_texts_are_edited_side_by_side(self, world: World) -> None:
        client = staff_client(world.supervisor)
        page = client.get(reverse("backoffice:participation_survey_new")).content.decode()
        indonesian = page.index('<div lang="id">')
        assert indonesian < page.index('id="id_title_id"') < page.index('<div lang="en">')
        assert page.index('<div lang="en">') < page.index('id="id_title_en"')
        assert (
            "Title (English)" in page
            and 'for="id_title_en">Title (English) <span class="muted">(optional)' in page
        )

    def test_a_survey_is_made_in_both_languages(self, world: World) -> None:
        client = staff_client(world.supervisor)
        now = timezone.localtime()
        response = client.post(
            reverse("backoffice:participation_survey_new"),
            {
                "title_id": "Survei parkir",
                "title_en": "Parking survey",
                "description_id": "Tentang lahan parkir.",
                "description_en": "About the car park.",
                "unit": "mesuji",
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert response.status_code == 302
        survey = Survey.objects.get()
        assert (survey.title_id, survey.title_en) == ("Survei parkir", "Parking survey")
        assert (survey.description_id, survey.description_en) == (
            "Tentang lahan parkir.",
            "About the car park.",
        )
        edit = client.get(reverse("backoffice:participation_survey_edit", args=[survey.pk])).content.decode()
        assert 'value="Parking survey"' in edit and 'value="Survei parkir"' in edit

    def test_english_choices_must_match_the_indonesian_ones_and_what_was_typed_is_kept(
        self, world: World
    ) -> None:
        survey = world.survey(office=world.office, publish=False)
        before = survey.questions.count()
        client = staff_client(world.supervisor)
        url = reverse("backoffice:participation_survey", args=[survey.pk])
        refused = client.post(
            url,
            {
                "question-kind": "single",
                "question-text_id": "Fasilitas apa yang paling dibutuhkan?",
                "question-text_en": "Which facility is needed most?",
                "question-choices_id": "\n".join(CHOICES_ID),
                "question-choices_en": "A nursing room\nMore chairs",
            },
        )
        assert refused.status_code == 400
        assert refused.context["question_form"].errors["choices_en"] == [
            "Give as many English choices as Indonesian ones, in the same order (3 in Indonesian, 2 in"
            " English), or leave the English choices empty."
        ]
        page = refused.content.decode()
        assert 'value="Which facility is needed most?"' in page
        assert "Tempat bermain anak" in page and "A nursing room\nMore chairs</textarea>" in page
        assert survey.questions.count() == before
        client.post(
            url,
            {
                "question-kind": "single",
                "question-text_id": "Fasilitas apa yang paling dibutuhkan?",
                "question-text_en": "Which facility is needed most?",
                "question-choices_id": "\n".join(CHOICES_ID),
                "question-choices_en": "\n".join(CHOICES_EN),
                "question-required": "on",
            },
        )
        added = survey.questions.order_by("-position").first()
        assert added is not None
        assert (added.choices_id, added.choices_en) == (CHOICES_ID, CHOICES_EN)

    def test_the_outcome_and_the_answer_take_both_languages(self, world: World) -> None:
        debate = services.debate_create(
            actor=DEMO,
            title_id="Kuota pagi atau sore?",
            description_id="Apakah kuota paspor perlu dibagi menjadi sesi pagi dan sore?",
            office=world.office,
        )
        services.debate_close(actor=DEMO, debate=debate)
        client = staff_client(world.supervisor)
        client.post(
            reverse("backoffice:participation_outcome", args=["debate", debate.pk]),
            {
                "outcome-decided_id": "Sesi sore dimulai bulan Januari.",
                "outcome-decided_en": "Afternoon sessions start in January.",
                "outcome-stage": "in_progress",
            },
        )
        outcome = selectors.outcome_of(debate)
        assert outcome is not None
        assert (outcome.decided_id, outcome.decided_en) == (
            "Sesi sore dimulai bulan Januari.",
            "Afternoon sessions start in January.",
        )
        # English alone is not enough: the Indonesian version is required.
        refused = client.post(
            reverse("backoffice:participation_outcome", args=["debate", debate.pk]),
            {"outcome-decided_en": "Afternoon sessions start in January.", "outcome-stage": "in_progress"},
        )
        assert refused.status_code == 400 and "decided_id" in refused.context["outcome_form"].errors


class TestApi:
    def test_both_versions_beside_the_requested_one(self, world: World) -> None:
        survey = _survey(world, english=True)
        english = visitor("en").get(f"/api/v1/surveys/{survey.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
        assert english["title"] == "Waiting room survey"
        assert (english["title_id"], english["title_en"]) == ("Survei ruang tunggu", "Waiting room survey")
        question = english["questions"][0]
        assert question["text"] == "Which facility is needed most?"
        assert question["choices"] == CHOICES_EN
        assert (question["choices_id"], question["choices_en"]) == (CHOICES_ID, CHOICES_EN)
        indonesian = visitor("id").get(f"/api/v1/surveys/{survey.pk}", HTTP_ACCEPT_LANGUAGE="id").json()
        assert (
            indonesian["title"] == "Survei ruang tunggu"
            and indonesian["questions"][0]["choices"] == CHOICES_ID
        )
        untranslated = _survey(world, english=False)
        fallback = visitor("en").get(f"/api/v1/surveys/{untranslated.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
        assert fallback["title"] == "Survei ruang tunggu" and fallback["title_en"] == ""
        assert fallback["questions"][0]["choices"] == CHOICES_ID
        proposal = _answered_proposal(world, english=True)
        answered = visitor("en").get(f"/api/v1/proposals/{proposal.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
        assert answered["answer"] == "We open on two Saturdays a month."
        assert answered["answer_id"] == "Kami membuka dua Sabtu sebulan."
        debate: Debate = services.debate_create(
            actor=DEMO,
            title_id="Kuota pagi atau sore?",
            title_en="Morning or afternoon quota?",
            description_id="Apakah kuota paspor perlu dibagi menjadi sesi pagi dan sore?",
            office=world.office,
        )
        read = visitor("en").get(f"/api/v1/debates/{debate.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
        assert read["title"] == "Morning or afternoon quota?"
        assert read["description"] == read["description_id"] and read["description_en"] == ""
