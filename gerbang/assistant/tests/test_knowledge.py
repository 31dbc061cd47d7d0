"""The knowledge base the assistant answers from: facts read at the moment of the answer, and
no figure the catalogue does not hold."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gerbang.assistant import engine, knowledge
from gerbang.assistant.engine import ReplyKind, reply_to
from gerbang.catalog.models import Service
from gerbang.catalog.services import service_terms_set
from gerbang.content.models import Faq
from gerbang.core.actors import WORKER

FEE_ANSWERS = {"faq:biaya-paspor-biasa", "service:paspor-biasa"}


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """Every test here reads the demo catalogue and content."""


def _facts(question: str) -> str:
    reply = reply_to(question, retriever="lexical")
    assert reply.kind == ReplyKind.ANSWER
    assert reply.answer is not None
    assert reply.answer.key in FEE_ANSWERS
    return " ".join(reply.answer.facts)


def test_a_fee_changed_in_the_catalogue_changes_the_answer_at_once():
    assert "Rp 350.000" in _facts("berapa biaya paspor biasa")
    service = Service.objects.get(code="paspor-biasa")
    service_terms_set(
        service=service,
        effective_from=timezone.localdate(),
        fee=400_000,
        standard_working_days=4,
        actor=WORKER,
    )
    facts = _facts("berapa biaya paspor biasa")
    assert "Rp 400.000" in facts
    assert "Rp 350.000" not in facts


def test_a_faq_figure_the_catalogue_does_not_hold_is_replaced_by_the_catalogues_own():
    faq = Faq.objects.get(slug="biaya-e-paspor")
    faq.answer_id = "E-paspor 48 halaman Rp 999.000. Selesai dalam 2 hari kerja. Bayar dengan QRIS."
    faq.save()
    source = knowledge.source_for(next(e for e in knowledge.entries() if e.key == "faq:biaya-e-paspor"), "id")
    assert source is not None
    facts = " ".join(source.facts)
    assert "999.000" not in facts
    assert "2 hari kerja" not in facts
    assert "Bayar dengan QRIS." in facts  # the sentences without figures stay
    assert "Rp 650.000" in facts  # the catalogue's fee instead
    assert knowledge.invented_figures(source) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_source_of_the_demo_states_a_figure_the_catalogue_does_not_hold(language):
    for entry in knowledge.entries():
        source = knowledge.source_for(entry, language)
        assert source is not None, entry.key
        assert source.title
        assert source.url
        assert knowledge.invented_figures(source) == [], entry.key


def test_the_knowledge_base_holds_every_kind_and_its_hash_follows_changes():
    found = knowledge.entries()
    assert {entry.kind for entry in found} == {"faq", "service", "office", "guide", "notice"}
    before = knowledge.content_hash(found, {})
    assert knowledge.content_hash(found, {}) == before
    assert knowledge.content_hash(found, {"buku ijo": "paspor"}) != before
    Faq.objects.filter(slug="calo").update(question_id="Apakah saya perlu perantara?")
    assert knowledge.content_hash(knowledge.entries(), {}) != before


def test_an_office_answer_quotes_its_address_and_hours():
    office = next(e for e in knowledge.entries() if e.key == "office:makassar")
    source = knowledge.source_for(office, "en")
    assert source is not None
    assert any(fact.startswith("Address: ") for fact in source.facts)
    assert any(fact.startswith("Opening hours: ") for fact in source.facts)


def test_a_new_faq_entry_is_found_without_a_refresh():
    faq = Faq.objects.get(slug="calo")
    Faq.objects.create(
        category=faq.category,
        slug="paspor-dinas",
        question_id="Apa itu paspor dinas?",
        question_en="What is a service passport?",
        answer_id="Paspor dinas diterbitkan oleh Kementerian Luar Negeri, bukan kantor imigrasi.",
        answer_en="Service passports are issued by the Ministry of Foreign Affairs, not immigration offices.",
        status="published",
    )
    reply = engine.reply_to("paspor dinas itu apa", retriever="lexical")
    assert reply.answer is not None
    assert reply.answer.key == "faq:paspor-dinas"
