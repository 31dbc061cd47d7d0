"""Personal questions: answered from the asker's own cases only. Whatever a person types (another
person's case number, booking code, billing code, identity number, email or name), in either
language, through the page, the chat box or the API, nothing of another person comes back."""

# ruff: noqa: F811 (the fixtures imported from tests/web.py are named as arguments)
from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import pytest
from django.test import Client

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications.tests import factories as f
from gerbang.assistant import engine
from gerbang.assistant.models import Turn
from gerbang.assistant.tests.web import FakeEngine, People, fake_engine, people, unlimited  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited")]

TOPICS = [None, *engine.PersonalTopic]


def phrasings(siti: dict[str, str]) -> list[str]:
    return [
        f"status permohonan {siti['number']}",
        f"show me application {siti['number']}",
        f"where is application {siti['visit']}",
        f"kapan jadwal wawancara kode booking {siti['booking']}",
        f"when is my appointment {siti['booking']}",
        f"sudah bayar belum kode billing {siti['billing']}",
        f"has bill {siti['billing']} been paid",
        f"status permohonan NIK {f.NIK_WOMAN}",
        f"my nik is {f.NIK_WOMAN}, where is my passport",
        f"permohonan atas nama {siti['name']} email {siti['email']}",
        f"I am {siti['email']}, what is my queue number",
        f"antrian saya {siti['ticket']}",
        "status permohonan saya",
        "where is my application",
    ]


def _leaks(body: str, person: dict[str, str]) -> list[str]:
    return [name for name, secret in person.items() if secret and secret in body]


def _ask_everywhere(client: Client, question: str) -> list[str]:
    """The page without JavaScript, the chat box with htmx, and the API: each body, where the
    question itself (shown back to its asker) is taken out first."""
    bodies = [
        client.post("/bantuan/", {"question": question}).content.decode(),
        client.post("/bantuan/", {"question": question}, headers={"HX-Request": "true"}).content.decode(),
        client.post(
            "/api/v1/assistant/ask", {"question": question}, content_type="application/json"
        ).content.decode(),
    ]
    shown_back = (question, question.replace("'", "&#x27;"), quote_plus(question))
    for text in shown_back:
        bodies = [body.replace(text, "") for body in bodies]
    return bodies


def _signed_in(user: Any) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


@pytest.mark.parametrize("topic", TOPICS)
def test_an_applicant_never_sees_another_persons_data(
    people: People, fake_engine: FakeEngine, topic: Any
) -> None:
    fake_engine.personal(topic)
    client = _signed_in(people.budi.user)
    for question in phrasings(people.siti.secrets):
        for body in _ask_everywhere(client, question):
            assert _leaks(body, people.siti.secrets) == [], question


@pytest.mark.parametrize("topic", TOPICS)
def test_a_visitor_gets_nothing_looked_up(people: People, fake_engine: FakeEngine, topic: Any) -> None:
    fake_engine.personal(topic)
    client = Client()
    client.cookies["django_language"] = "en"
    for question in phrasings(people.siti.secrets) + phrasings(
        people.budi.secrets | {"name": "Budi", "email": "x", "booking": "", "visit": "", "ticket": ""}
    ):
        for body in _ask_everywhere(client, question):
            assert _leaks(body, people.siti.secrets) == [], question
            assert _leaks(body, people.budi.secrets) == [], question
            assert "/track/" in body


@pytest.mark.parametrize("topic", TOPICS)
def test_staff_get_nothing_looked_up_through_the_chat(
    people: People, fake_engine: FakeEngine, topic: Any
) -> None:
    fake_engine.personal(topic)
    client = _signed_in(staff(Role.NATIONAL_ADMIN))
    for question in phrasings(people.siti.secrets):
        for body in _ask_everywhere(client, question):
            assert _leaks(body, people.siti.secrets) == [], question
            assert _leaks(body, people.budi.secrets) == [], question


def test_even_an_answer_reply_never_looks_anything_up(people: People, fake_engine: FakeEngine) -> None:
    """Only a personal reply reads the asker's data; an engine that took a number for a topic
    still answers from its sources alone."""
    for kind in ("answer", "unsure", "decline"):
        getattr(fake_engine, kind)()
        client = _signed_in(people.budi.user)
        for question in phrasings(people.siti.secrets):
            for body in _ask_everywhere(client, question):
                assert _leaks(body, people.siti.secrets) == []
                assert _leaks(body, people.budi.secrets) == []


def test_an_applicant_sees_their_own_case_status(people: People, fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.CASE_STATUS)
    body = (
        _signed_in(people.budi.user)
        .post("/bantuan/", {"question": "status permohonan saya"})
        .content.decode()
    )
    assert people.budi.secrets["number"] in body
    assert f"/applications/{people.budi.case.pk}/" in body
    assert "Waiting for payment" in body or "payment" in body.lower()


def test_an_applicant_sees_their_own_bill(people: People, fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.PAYMENT)
    body = _signed_in(people.budi.user).post("/bantuan/", {"question": "sudah bayar belum"}).content.decode()
    assert people.budi.secrets["number"] in body
    assert "to pay before" in body
    assert f"/applications/{people.budi.case.pk}/pay/" in body


def test_siti_sees_her_own_paid_bill_appointment_and_ticket(people: People, fake_engine: FakeEngine) -> None:
    client = _signed_in(people.siti.user)
    fake_engine.personal(engine.PersonalTopic.PAYMENT)
    assert "paid on" in client.post("/bantuan/", {"question": "have I paid"}).content.decode()
    fake_engine.personal(engine.PersonalTopic.QUEUE)
    body = client.post("/bantuan/", {"question": "what is my queue number"}).content.decode()
    assert people.ticket.number in body
    assert f"/queue/{people.ticket.token}/" in body
    fake_engine.personal(engine.PersonalTopic.APPOINTMENT)
    body = client.post("/bantuan/", {"question": "when is my appointment"}).content.decode()
    # Checked in already: no booking to come; the answer says so rather than show Budi's.
    assert people.budi.secrets["number"] not in body


def test_personal_answers_come_in_the_questions_language(people: People, fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.PAYMENT, language="en")
    client = Client()  # the page in Indonesian (the site's default)
    client.force_login(people.budi.user)
    body = client.post("/bantuan/", {"question": "have I paid"}).content.decode()
    assert 'lang="en"' in body
    assert "to pay before" in body


def test_what_is_stored_of_a_personal_question_is_masked(people: People, fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.CASE_STATUS)
    client = _signed_in(people.budi.user)
    for question in phrasings(people.siti.secrets):
        client.post("/bantuan/", {"question": question})
    stored = " ".join(Turn.objects.values_list("question", flat=True))
    assert _leaks(stored, people.siti.secrets) == []
    assert f.NIK_WOMAN not in stored
