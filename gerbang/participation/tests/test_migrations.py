"""The data steps of participation's migrations, run for real on the test database (back to the
state before them, rows written with the models of that time, then forwards):

- 0002: surveys made before drafts existed stay published, and an answer's word stored in one
  language becomes a code shown in the reader's language;
- 0004: what staff wrote is kept as its Indonesian version (answers keep their choice indices),
  the English versions start empty, and going back keeps the Indonesian text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

APP = "participation"


def _latest() -> str:
    """The app's newest migration (whatever has been added since these tests were written)."""
    executor = MigrationExecutor(connection)
    (leaf,) = executor.loader.graph.leaf_nodes(APP)
    return leaf[1]


def _migrate(target: str) -> Any:
    """The database migrated to ``target`` of participation; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([(APP, target)])
    executor.loader.build_graph()
    return executor.loader.project_state([(APP, target)]).apps


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    # Every later test (browser journeys included) needs the whole schema back.
    _migrate(_latest())


def test_0002_keeps_surveys_published_and_makes_answer_words_codes(back_to_latest: None) -> None:
    old = _migrate("0001_initial")
    Survey = old.get_model(APP, "Survey")
    StatusChange = old.get_model(APP, "StatusChange")
    now = timezone.now()
    survey = Survey.objects.create(title="Survei lama", opens_at=now, closes_at=now, created_at=now)
    words = {"Diterima": "accepted", "Not accepted": "rejected", "Accepted": "accepted"}
    changes = {
        word: StatusChange.objects.create(kind="proposal", subject_id=1, stage="answered", note=word)
        for word in words
    }
    other = StatusChange.objects.create(kind="proposal", subject_id=1, stage="in_progress", note="Diterima")

    new = _migrate("0002_survey_draft_and_codes")
    Survey = new.get_model(APP, "Survey")
    StatusChange = new.get_model(APP, "StatusChange")
    assert Survey.objects.get(pk=survey.pk).published_at == now
    for word, change in changes.items():
        assert StatusChange.objects.get(pk=change.pk).note == words[word]
    # Only the answer's note is a code.
    assert StatusChange.objects.get(pk=other.pk).note == "Diterima"


def test_0004_keeps_what_staff_wrote_as_its_indonesian_version(back_to_latest: None) -> None:
    old = _migrate("0003_survey_residents_only")
    now = timezone.now()
    Survey = old.get_model(APP, "Survey")
    survey = Survey.objects.create(
        title="Survei ruang tunggu",
        description="Pendapat Anda",
        opens_at=now,
        closes_at=now,
        published_at=now,
        created_at=now,
    )
    question = old.get_model(APP, "Question").objects.create(
        survey=survey, position=1, kind="single", text="Fasilitas apa?", choices=["Kursi", "Ruang laktasi"]
    )
    user = old.get_model("accounts", "User").objects.create(email="lama@example.test")
    response = old.get_model(APP, "Response").objects.create(survey=survey, respondent=user, created_at=now)
    old.get_model(APP, "Answer").objects.create(response=response, question=question, choices=[1])
    debate = old.get_model(APP, "Debate").objects.create(
        title="Kuota pagi atau sore?", description="Apa pendapat Anda tentang sesi sore?", created_at=now
    )
    proposal = old.get_model(APP, "Proposal").objects.create(
        title="Sabtu",
        body="Buka hari Sabtu",
        author=user,
        display_name="Lama",
        threshold=1,
        status="accepted",
        answer="Diterima, dua Sabtu sebulan.",
        created_at=now,
    )
    outcome = old.get_model(APP, "Outcome").objects.create(
        kind="proposal",
        subject_id=proposal.pk,
        decided="Dibuka dua Sabtu sebulan.",
        changed="Sudah berjalan.",
        published_at=now,
    )
    StatusChange = old.get_model(APP, "StatusChange")
    code = StatusChange.objects.create(
        kind="proposal", subject_id=proposal.pk, stage="answered", note="accepted"
    )
    free = StatusChange.objects.create(
        kind="debate", subject_id=debate.pk, stage="closed", note="Catatan bebas"
    )

    new = _migrate("0004_bilingual_staff_text")
    survey = new.get_model(APP, "Survey").objects.get(pk=survey.pk)
    assert (survey.title_id, survey.title_en) == ("Survei ruang tunggu", "")
    assert (survey.description_id, survey.description_en) == ("Pendapat Anda", "")
    question = new.get_model(APP, "Question").objects.get(pk=question.pk)
    assert (question.text_id, question.text_en) == ("Fasilitas apa?", "")
    assert (question.choices_id, question.choices_en) == (["Kursi", "Ruang laktasi"], [])
    # The answer's index still points at the same choice.
    assert new.get_model(APP, "Answer").objects.get(question=question).choices == [1]
    debate = new.get_model(APP, "Debate").objects.get(pk=debate.pk)
    assert debate.title_id == "Kuota pagi atau sore?" and debate.title_en == ""
    assert debate.description_id == "Apa pendapat Anda tentang sesi sore?" and debate.description_en == ""
    proposal = new.get_model(APP, "Proposal").objects.get(pk=proposal.pk)
    assert (proposal.answer_id, proposal.answer_en) == ("Diterima, dua Sabtu sebulan.", "")
    outcome = new.get_model(APP, "Outcome").objects.get(pk=outcome.pk)
    assert (outcome.decided_id, outcome.changed_id) == ("Dibuka dua Sabtu sebulan.", "Sudah berjalan.")
    assert (outcome.decided_en, outcome.changed_en) == ("", "")
    StatusChange = new.get_model(APP, "StatusChange")
    assert StatusChange.objects.get(pk=code.pk).note_id == "accepted"
    assert StatusChange.objects.get(pk=free.pk).note_id == "Catatan bebas"

    # Going back keeps the Indonesian text under the old names.
    back = _migrate("0003_survey_residents_only")
    assert back.get_model(APP, "Survey").objects.get(pk=survey.pk).title == "Survei ruang tunggu"
    assert back.get_model(APP, "Question").objects.get(pk=question.pk).choices == ["Kursi", "Ruang laktasi"]
    assert back.get_model(APP, "Outcome").objects.get(pk=outcome.pk).decided == "Dibuka dua Sabtu sebulan."
    assert back.get_model(APP, "StatusChange").objects.get(pk=free.pk).note == "Catatan bebas"
