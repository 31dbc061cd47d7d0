"""POST /api/v1/assistant/ask: the same service as the page, as JSON."""

# ruff: noqa: F811 (the fixtures imported from tests/web.py are named as arguments)
from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gerbang.accounts.tests.factories import UserFactory
from gerbang.assistant import engine, services
from gerbang.assistant.models import Conversation, Turn
from gerbang.assistant.tests.web import FakeEngine, fake_engine, people, unlimited  # noqa: F401 (fixtures)
from gerbang.core.ratelimit import Limit

pytestmark = pytest.mark.django_db

URL = "/api/v1/assistant/ask"


def post(client: Client, body: Any) -> Any:
    return client.post(URL, body, content_type="application/json")


def test_an_answer_as_json(client: Client, fake_engine: FakeEngine) -> None:
    response = post(client, {"question": "paspor sy ilang gmn"})
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "answer"
    assert data["language"] == "id"
    assert data["answer"] == {
        "key": "faq:biaya-paspor-hilang",
        "kind": "faq",
        "title": "Berapa biaya paspor hilang?",
        "url": "http://testserver/faq/#biaya-paspor-hilang",
        "facts": ["Biaya penggantian paspor hilang Rp1.000.000."],
    }
    assert data["suggestions"] == [] and data["notices"] == []
    assert data["personal"] is None
    assert data["handover_url"] == "http://testserver/consultations/new/"  # no question in an address
    assert Turn.objects.get().conversation.channel == "api"


def test_unsure_gives_the_closest_topics(client: Client, fake_engine: FakeEngine) -> None:
    fake_engine.unsure()
    data = post(client, {"question": "can my cat come", "language": "en"}).json()
    assert data["kind"] == "unsure"
    assert [each["key"] for each in data["suggestions"]] == ["service:paspor-biasa", "faq:paspor-rusak"]
    assert fake_engine.asked[-1] == ("can my cat come", "en")


def test_a_visitors_personal_question(client: Client, fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.CASE_STATUS)
    data = post(client, {"question": "where is my application"}).json()
    assert data["personal"]["who"] == "visitor"
    assert data["personal"]["links"][0]["url"] == "http://testserver/track/"


def test_a_signed_in_session_must_send_its_csrf_token(fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.CASE_STATUS)
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory.create())
    response = post(client, {"question": "where is my application"})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf"


def test_a_signed_in_applicant_gets_their_own_answer(fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.CASE_STATUS)
    client = Client()
    client.force_login(UserFactory.create())
    data = post(client, {"question": "where is my application"}).json()
    assert data["personal"]["who"] == "applicant"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "question"),
        ({"question": 5}, 422, "question"),
        ({"question": ""}, 400, "question"),
        ({"question": "x" * 501}, 400, "question"),
        ({"question": "biaya paspor", "language": "fr"}, 400, "language"),
    ],
)
def test_bad_input_names_the_field(
    client: Client, fake_engine: FakeEngine, body: Any, status: int, field: str
) -> None:
    response = post(client, body)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert response.json()["detail"]


def test_rate_limited_with_a_message(
    client: Client, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PER_ADDRESS", Limit("assistant-address-t", 1, 600))
    assert post(client, {"question": "biaya paspor"}).status_code == 200
    response = client.post(
        URL, {"question": "biaya paspor"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "many questions" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_the_operation_is_documented(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/assistant/ask" in document["paths"]


def test_a_client_without_a_session_starts_none(fake_engine: FakeEngine) -> None:
    from django.contrib.sessions.models import Session

    client = Client()
    post(client, {"question": "biaya paspor"})
    post(client, {"question": "jam buka"})
    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()
    assert Conversation.objects.count() == 2


def test_a_session_keeps_one_conversation(fake_engine: FakeEngine) -> None:
    client = Client()
    client.force_login(UserFactory.create())
    post(client, {"question": "biaya paspor"})
    post(client, {"question": "jam buka"})
    assert Conversation.objects.get().turns.count() == 2
