"""Asking: the question checked, limited, answered by the engine and kept masked; the content
staff's actions on unanswered questions."""

# ruff: noqa: F811 (the fixtures imported from tests/web.py are named as arguments)
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.assistant import engine, services
from gerbang.assistant.models import Conversation, Synonym, Turn
from gerbang.assistant.tests.web import FakeEngine, fake_engine, people, unlimited  # noqa: F401 (fixtures)
from gerbang.content.models import Faq
from gerbang.content.services import faq_category_upsert
from gerbang.core.exceptions import PermissionDenied, RateLimited, ValidationError
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


def ask(text: str, *, key: str = "k1", address: str = "10.0.0.1", asker: Any = None, **more: Any) -> Any:
    return services.question_ask(
        text=text, conversation_key=key, address=address, asker=asker or AnonymousUser(), **more
    )


def test_a_question_is_answered_and_kept_masked(fake_engine: FakeEngine) -> None:
    asked = ask("paspor sy ilang gmn, NIK 3171011508900001, hp 081234567890")
    assert asked.reply.answer is not None
    assert asked.reply.answer.key == "faq:biaya-paspor-hilang"
    turn = Turn.objects.get()
    assert turn.question == "paspor sy ilang gmn, NIK [NIK], hp [PHONE]"
    assert turn.kind == "answer"
    assert turn.entry_key == "faq:biaya-paspor-hilang"
    assert turn.score == pytest.approx(0.9)
    assert turn.retriever == "fake"
    assert turn.language == "id"
    assert turn.answer_ms >= 0
    # The engine got the question as typed (spaces folded); only the stored copy is masked.
    assert fake_engine.asked == [("paspor sy ilang gmn, NIK 3171011508900001, hp 081234567890", None)]


def test_nothing_of_the_raw_question_is_stored_anywhere(fake_engine: FakeEngine) -> None:
    ask("nama saya Budi Santoso, email budi@example.test, permohonan MESUJI-2026-7K3QH-9TX2M")
    for turn in Turn.objects.all():
        for secret in ("Budi", "budi@example.test", "7K3QH"):
            assert secret not in turn.question
    assert not Event.objects.filter(code__startswith="assistant.").exists()


def test_one_conversation_per_session(fake_engine: FakeEngine) -> None:
    ask("biaya paspor", key="a")
    ask("jam buka", key="a")
    ask("visa", key="b")
    assert Conversation.objects.count() == 2
    assert Conversation.objects.get(key="a").turns.count() == 2


def test_the_unsure_reply_keeps_its_closest_topic(fake_engine: FakeEngine) -> None:
    fake_engine.unsure()
    asked = ask("can my cat travel with me")
    turn = asked.turn
    assert (turn.kind, turn.entry_key, turn.language) == ("unsure", "service:paspor-biasa", "en")


def test_the_language_asked_for_goes_to_the_engine(fake_engine: FakeEngine) -> None:
    ask("passport fee", language="en")
    assert fake_engine.asked[-1] == ("passport fee", "en")
    with pytest.raises(ValidationError) as refused:
        ask("passport fee", language="fr")
    assert refused.value.field == "language"


@pytest.mark.parametrize("text", ["", "   ", "a", None])
def test_an_empty_question_is_refused(fake_engine: FakeEngine, text: str | None) -> None:
    with pytest.raises(ValidationError) as refused:
        ask(text)  # type: ignore[arg-type]
    assert refused.value.field == "question"
    assert not Turn.objects.exists()


def test_a_long_question_is_refused_with_its_length(fake_engine: FakeEngine) -> None:
    with pytest.raises(ValidationError) as refused:
        ask("x" * 501)
    assert "501" in str(refused.value.message) and "500" in str(refused.value.message)
    assert fake_engine.asked == []
    ask("x" * 500)


def test_a_session_is_limited(fake_engine: FakeEngine) -> None:
    for _ in range(services.PER_SESSION.count):
        ask("biaya paspor", key="busy")
    with pytest.raises(RateLimited) as refused:
        ask("biaya paspor", key="busy")
    assert refused.value.message == services.TOO_MANY
    assert refused.value.retry_after > 0
    # Another session at another address asks on.
    ask("biaya paspor", key="other", address="10.0.0.2")


def test_an_address_is_limited_across_sessions(fake_engine: FakeEngine, settings: Any) -> None:
    for number in range(services.PER_ADDRESS.count):
        ask("biaya paspor", key=f"s{number}")
    with pytest.raises(RateLimited):
        ask("biaya paspor", key="fresh")
    ask("biaya paspor", key="fresh", address="10.0.0.9")


def test_personal_question_of_a_visitor_gets_the_tracking_page(fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.CASE_STATUS)
    asked = ask("where is my application")
    assert asked.personal is not None
    assert asked.personal.who == "visitor"
    assert asked.personal.links[0].url == "/track/"
    assert asked.turn.personal_topic == "case_status"


def test_personal_question_of_staff_looks_nothing_up(fake_engine: FakeEngine, office_a: Any) -> None:
    fake_engine.personal(engine.PersonalTopic.CASE_STATUS)
    officer = staff(Role.OFFICER, [office_a])
    asked = ask("status permohonan saya", asker=officer)
    assert asked.personal is not None
    assert asked.personal.who == "staff"
    assert asked.personal.lines == ()


def test_personal_answer_of_an_applicant_without_cases(fake_engine: FakeEngine) -> None:
    fake_engine.personal(engine.PersonalTopic.PAYMENT)
    asked = ask("sudah bayar belum", asker=UserFactory.create())
    assert asked.personal is not None
    assert asked.personal.who == "applicant"
    assert "no applications" in asked.personal.intro


# Content staff.


@pytest.fixture
def editor(db: None) -> Any:
    return staff(Role.NATIONAL_ADMIN)


def _unanswered(fake_engine: FakeEngine, *texts: str) -> list[Turn]:
    fake_engine.unsure()
    return [ask(text, key=f"u{n}").turn for n, text in enumerate(texts)]


def test_a_synonym_is_added_and_its_questions_handled(fake_engine: FakeEngine, editor: Any) -> None:
    turns = _unanswered(fake_engine, "pasport ilang", "pasport ilang gmn")
    with_refresh = fake_engine.refreshed
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        synonym = services.synonym_add(
            variant=" Pasport  Ilang ", meaning="paspor hilang", actor=editor, turns=turns
        )
    assert (synonym.variant, synonym.meaning, synonym.created_by) == (
        "pasport ilang",
        "paspor hilang",
        editor,
    )
    assert fake_engine.refreshed == with_refresh + 1
    assert Turn.objects.filter(handled_at__isnull=False, handled_by=editor).count() == 2
    assert Event.objects.filter(code="assistant.synonym_added").exists()


@pytest.mark.parametrize(
    ("variant", "meaning", "field"),
    [("", "paspor", "variant"), ("pasport", "", "meaning"), ("paspor", "Paspor", "meaning")],
)
def test_a_synonym_needs_two_different_words(editor: Any, variant: str, meaning: str, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.synonym_add(variant=variant, meaning=meaning, actor=editor)
    assert refused.value.field == field


def test_a_synonym_is_not_added_twice(editor: Any, fake_engine: FakeEngine) -> None:
    services.synonym_add(variant="pasport", meaning="paspor", actor=editor)
    with pytest.raises(ValidationError):
        services.synonym_add(variant="PASPORT", meaning="paspor", actor=editor)
    assert Synonym.objects.count() == 1


def test_only_content_staff_add_synonyms(office_a: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.synonym_add(variant="pasport", meaning="paspor", actor=staff(Role.OFFICER, [office_a]))


def test_a_faq_entry_is_made_through_the_content_service(fake_engine: FakeEngine, editor: Any) -> None:
    from django.test import TestCase

    category = faq_category_upsert(slug="travel", name_id="Perjalanan", name_en="Travel")
    turns = _unanswered(fake_engine, "can my cat travel with me")
    data = {
        "category": category,
        "question_id": "Bolehkah membawa kucing?",
        "question_en": "Can I travel with my cat?",
        "answer_id": "Imigrasi tidak mengurus hewan; tanyakan ke karantina.",
        "answer_en": "Immigration does not deal with animals; ask the quarantine office.",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        faq = services.faq_from_questions(data=data, publish=True, actor=editor, turns=turns)
    assert Faq.objects.get(pk=faq.pk).status == "published"
    assert fake_engine.refreshed == 1
    assert Turn.objects.get(pk=turns[0].pk).handled_at is not None
    assert Event.objects.filter(code="content.faq_published").exists()


def test_marking_questions_handled(fake_engine: FakeEngine, editor: Any) -> None:
    turns = _unanswered(fake_engine, "a question", "another question")
    assert services.turns_handle(turns=turns, actor=editor) == 2
    assert services.turns_handle(turns=turns, actor=editor) == 0
