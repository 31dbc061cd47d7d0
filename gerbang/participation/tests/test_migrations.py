"""The data step of migration 0002: surveys made before drafts existed stay published, and an
answer's word stored in one language becomes a code shown in the reader's language."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from gerbang.participation.models import StatusChange, SubjectKind, Survey
from gerbang.participation.tests.conftest import World

pytestmark = pytest.mark.django_db

step = importlib.import_module("gerbang.participation.migrations.0002_survey_draft_and_codes")


def test_existing_surveys_stay_published_and_answer_words_become_codes(world: World) -> None:
    survey = world.survey(publish=False)
    Survey.objects.filter(pk=survey.pk).update(published_at=None)
    words = {"Diterima": "accepted", "Not accepted": "rejected", "Accepted": "accepted"}
    changes = {
        word: StatusChange.objects.create(
            kind=SubjectKind.PROPOSAL, subject_id=1, stage="answered", note=word
        )
        for word in words
    }
    other = StatusChange.objects.create(
        kind=SubjectKind.PROPOSAL, subject_id=1, stage="in_progress", note="Diterima"
    )
    step.forwards(apps, None)
    survey.refresh_from_db()
    assert survey.published_at == survey.created_at
    for word, change in changes.items():
        change.refresh_from_db()
        assert change.note == words[word]
    other.refresh_from_db()
    assert other.note == "Diterima"  # only the answer's note is a code
