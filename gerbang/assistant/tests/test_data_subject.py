"""The assistant's answer to the data-protection rights (UU PDP): the questions of a person's
signed-in sessions are theirs (exported, erased); those of other sessions are nobody's."""

# ruff: noqa: F811 (the fixtures imported from tests/web.py are named as arguments)
from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from gerbang.accounts.tests.factories import UserFactory
from gerbang.assistant import data_subject
from gerbang.assistant.models import Conversation, Turn
from gerbang.assistant.tests.web import FakeEngine, fake_engine, unlimited  # noqa: F401 (fixtures)
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


def asks(person: object | None, question: str) -> Client:
    browser = Client()
    if person is not None:
        browser.force_login(person)  # type: ignore[arg-type]
    assert browser.post("/bantuan/", {"question": question}).status_code == 200
    return browser


def test_only_the_questions_of_the_person_s_sessions_are_theirs(fake_engine: FakeEngine) -> None:
    siti = UserFactory.create(full_name="Siti Rahmawati")
    agus = UserFactory.create(full_name="Agus Setiawan")
    asks(siti, "paspor siti ilang gmn")
    asks(agus, "paspor agus ilang gmn")
    asks(None, "paspor tamu ilang gmn")
    sections = data_subject.export(siti)
    text = json.dumps([s.rows for s in sections])
    assert "siti" in text and "agus" not in text and "tamu" not in text
    assert data_subject.export(UserFactory.create()) == []

    events = Event.objects.count()
    assert data_subject.erase(siti, timezone.now(), True)[0].erased == 1
    assert Turn.objects.count() == 3 and Event.objects.count() == events
    assert data_subject.erase(siti, timezone.now(), False)[0].erased == 1
    assert sorted(t.question for t in Turn.objects.all()) == [
        "paspor agus ilang gmn",
        "paspor tamu ilang gmn",
    ]
    assert Conversation.objects.count() == 2
    assert Event.objects.get(code="assistant.conversations_erased").details["questions"] == 1
