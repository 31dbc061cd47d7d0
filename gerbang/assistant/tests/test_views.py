"""The /bantuan/ page without JavaScript (a form that answers on the next page) and with htmx
(only the answer comes back), and the chat box on every public and applicant page."""

# ruff: noqa: F811 (the fixtures imported from tests/web.py are named as arguments)
from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.assistant import services
from gerbang.assistant.engine import ReplyKind
from gerbang.assistant.models import Turn
from gerbang.assistant.tests.web import FakeEngine, fake_engine, people, unlimited  # noqa: F401 (fixtures)
from gerbang.core.ratelimit import Limit

pytestmark = pytest.mark.django_db


def test_the_page_offers_a_question_box_and_a_person(client: Client) -> None:
    body = client.get("/bantuan/").content.decode()
    assert '<label for="id_question">' in body
    assert 'action="/bantuan/"' in body and 'method="post"' in body
    assert 'aria-live="polite"' in body
    assert 'href="/consultations/new/"' in body
    # The page is the box: no second one at its foot.
    assert "assistant-box" not in body


def test_without_javascript_the_answer_comes_on_the_page(client: Client, fake_engine: FakeEngine) -> None:
    response = client.post("/bantuan/", {"question": "paspor sy ilang gmn"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert "Biaya penggantian paspor hilang Rp1.000.000." in body
    assert 'href="/faq/#biaya-paspor-hilang"' in body
    assert 'lang="id"' in body
    assert "paspor sy ilang gmn" in body  # shown back as asked
    assert "/consultations/new/?draft=" in body
    assert "?question=" not in body  # the question never travels in an address


def test_with_htmx_only_the_answer_comes_back(client: Client, fake_engine: FakeEngine) -> None:
    response = client.post("/bantuan/", {"question": "paspor sy ilang gmn"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'class="assistant-answer"' in body
    assert "Biaya penggantian paspor hilang Rp1.000.000." in body


def test_the_answer_is_in_the_questions_language_whatever_the_page(fake_engine: FakeEngine) -> None:
    fake_engine.decline(language="en")
    indonesian_page = Client()
    body = indonesian_page.post("/bantuan/", {"question": "who wins the football"}).content.decode()
    assert '<html lang="id">' in body
    assert 'lang="en"' in body
    assert "I can only help with immigration services" in body


def test_unsure_offers_the_closest_topics_and_an_office(client: Client, fake_engine: FakeEngine) -> None:
    fake_engine.unsure()
    body = client.post("/bantuan/", {"question": "can my cat come"}).content.decode()
    assert "not sure" in body
    assert 'href="/services/paspor-biasa/"' in body and 'href="/faq/#paspor-rusak"' in body
    assert 'href="/consultations/new/?draft=' in body


def test_notices_always_show(client: Client, fake_engine: FakeEngine) -> None:
    from gerbang.assistant.tests.web import FEE_FAQ, NOTICE, reply

    fake_engine.reply = reply(ReplyKind.ANSWER, "id", answer=FEE_FAQ, notices=(NOTICE,))
    body = client.post("/bantuan/", {"question": "kantor buka?"}).content.decode()
    assert "Kantor Mesuji tutup hari ini." in body


def test_an_empty_question_is_refused_with_a_message(client: Client, fake_engine: FakeEngine) -> None:
    response = client.post("/bantuan/", {"question": "  "})
    assert response.status_code == 400
    assert "Write your question." in response.content.decode()
    response = client.post("/bantuan/", {"question": ""}, headers={"HX-Request": "true"})
    assert "Write your question." in response.content.decode()
    assert not Turn.objects.exists()


def test_a_long_question_is_kept_and_refused_with_its_length(client: Client, fake_engine: FakeEngine) -> None:
    text = "paspor " * 80
    response = client.post("/bantuan/", {"question": text})
    body = response.content.decode()
    assert response.status_code == 400
    assert "at most 500 characters" in body
    assert text.strip() in body  # nothing typed is lost


def test_too_many_questions_get_a_clear_message(
    client: Client, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PER_SESSION", Limit("assistant-session-t", 2, 600))
    for _ in range(2):
        assert client.post("/bantuan/", {"question": "biaya paspor"}).status_code == 200
    response = client.post("/bantuan/", {"question": "biaya paspor"})
    assert response.status_code == 429
    assert "many questions in a short time" in response.content.decode()
    htmx = client.post("/bantuan/", {"question": "biaya paspor"}, headers={"HX-Request": "true"})
    assert "many questions in a short time" in htmx.content.decode()


@pytest.mark.parametrize("path", ["/", "/faq/", "/services/", "/track/", "/consultations/new/"])
def test_the_chat_box_is_on_public_and_applicant_pages(path: str, db: None) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(UserFactory.create())
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 200, path
    assert 'class="assistant-box"' in body
    assert '<label for="assistant-box-question">' in body
    assert 'action="/bantuan/"' in body
    assert "assistant/assistant.js" in body


def test_the_chat_box_is_not_in_the_back_office(staff_client: Any) -> None:
    client = staff_client(staff(Role.NATIONAL_ADMIN))
    body = client.get("/backoffice/").content.decode()
    assert "assistant-box" not in body


def test_a_visitors_hand_over_goes_through_sign_in_and_keeps_the_question(
    client: Client, fake_engine: FakeEngine
) -> None:
    fake_engine.unsure()
    question = "bisakah saya bawa kucing ke luar negeri?"
    body = client.post("/bantuan/", {"question": question}).content.decode()
    handover = re.search(r'href="(/consultations/new/\?draft=[^"]+)"', body)
    assert handover is not None
    assert "?draft=" in handover.group(1) and "+" not in handover.group(1)  # a key, not the text
    response = client.get(handover.group(1))
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith("/account/login/")
    user = UserFactory.create()
    client.force_login(user)
    from urllib.parse import parse_qs, urlsplit

    back = parse_qs(urlsplit(login).query)["next"][0]
    body = client.get(back).content.decode()
    assert question.replace("?", "") in body


def test_the_real_engine_answers_from_a_published_faq_entry(client: Client, db: None) -> None:
    from gerbang.accounts.tests.factories import staff as make_staff
    from gerbang.content.services import faq_category_upsert, faq_save

    category = faq_category_upsert(slug="paspor", name_id="Paspor", name_en="Passports")
    faq_save(
        actor=make_staff(Role.NATIONAL_ADMIN),
        entry=None,
        publish=True,
        data={
            "category": category,
            "question_id": "Paspor saya hilang, apa yang harus dilakukan?",
            "question_en": "I lost my passport, what do I do?",
            "answer_id": "Laporkan kehilangan ke kantor polisi terdekat.",
            "answer_en": "Report the loss to the nearest police station.",
        },
    )
    body = client.post("/bantuan/", {"question": "paspor sy ilang gmn"}).content.decode()
    assert 'data-kind="answer"' in body
    assert "<li>Laporkan kehilangan ke kantor polisi terdekat.</li>" in body
    assert 'href="/faq/#faq-paspor-saya-hilang-apa-yang-harus-dilakukan"' in body
    english = client.post("/bantuan/", {"question": "i lost my passport what should i do"}).content.decode()
    assert 'lang="en" data-kind="answer"' in english
    assert "<li>Report the loss to the nearest police station.</li>" in english


def test_the_chat_box_keeps_public_pages_shareable(db: None) -> None:
    """No CSRF token in the box: a public page stays one page for every anonymous visitor (kept
    in the shared page cache), and the box posts all the same."""
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get("/services/")
    assert 'class="assistant-box"' in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies
    assert (
        response.headers["Cache-Control"].startswith("public")
        or "public" in response.headers["Cache-Control"]
    )


def test_the_box_posts_without_a_csrf_token(fake_engine: FakeEngine) -> None:
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post("/bantuan/", {"question": "paspor sy ilang gmn"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Biaya penggantian paspor hilang" in response.content.decode()
