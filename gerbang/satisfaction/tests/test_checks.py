"""The automatic pre-check of reviews (what looks like personal data, and its mask), and the
grouping of suggestions by shared words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gerbang.satisfaction import checks, grouping


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("Write to siti.rahma+paspor@mail.co.id please", ["email"]),
        ("My NIK is 3171015508900001.", ["nik"]),
        ("Call 0812-3456-7890", ["phone"]),
        ("Call +62 812 3456 7890", ["phone"]),
        ("WA 081234567890 anytime", ["phone"]),
        ("Passport B1234567 was ready", ["passport"]),
        ("paspor lama xc1234567", ["passport"]),
        ("Waited 45 minutes at counter 3 on 12/11/2026, paid Rp 350.000", []),
        ("Queue number A012, 2 hours", []),
        ("1234567890123456789 is too long for a NIK", ["number"]),
    ],
)
def test_flags(text: str, flags: list[str]) -> None:
    assert checks.flags_of(text) == flags
    if flags:
        assert checks.MASK in checks.masked(text)
    else:
        assert checks.masked(text) == text


def test_a_nik_is_not_also_a_phone_number() -> None:
    assert checks.flags_of("3171015508900001") == ["nik"]
    assert checks.masked("NIK 3171015508900001 ok") == f"NIK {checks.MASK} ok"


@given(st.text(max_size=200))
def test_text_without_digits_or_at_signs_is_never_flagged(text: str) -> None:
    plain = "".join(c for c in text if not c.isdecimal() and c != "@")
    assert checks.flags_of(plain) == []
    assert checks.masked(plain) == plain


def test_words_ignore_case_stopwords_and_suffixes() -> None:
    assert grouping.words_of("Antreannya terlalu LAMA di loket, the queues") == {
        "antrean",
        "terlalu",
        "lama",
        "loket",
        "queue",
    }


def test_similar_suggestions_group_together_biggest_first() -> None:
    texts = [
        "Parkir motor sempit",
        "Antrean pagi terlalu lama di loket",
        "Antrean di loket lama sekali",
        "Tambah loket, antrean lama",
        "Jadwal wawancara lewat SMS",
    ]
    groups = grouping.group(list(range(5)), texts)
    assert [g.items for g in groups] == [(1, 2, 3), (0,), (4,)]
    assert set(groups[0].keywords) == {"antrean", "loket", "lama"}


def test_groups_are_labelled_with_words_as_written_not_stems() -> None:
    """Trial 19b, finding 13: "khusus" was shown as its stem "khusu"."""
    texts = ["Sediakan loket khusus lansia", "Loket khusus untuk lansia dan difabel", "Loketnya ramai"]
    groups = grouping.group(list(range(3)), texts)
    assert groups[0].items == (0, 1)
    assert set(groups[0].keywords) == {"khusus", "lansia", "loket"}
    (alone,) = [g for g in groups if g.items == (2,)]
    assert set(alone.keywords) == {"loket", "ramai"}  # "loketnya": the commoner form "loket"


@given(st.lists(st.text(max_size=60), max_size=12))
def test_every_item_is_in_exactly_one_group(texts: list[str]) -> None:
    groups = grouping.group(list(range(len(texts))), texts)
    assert sorted(i for g in groups for i in g.items) == list(range(len(texts)))
    for g in groups:
        assert list(g.items) == sorted(g.items)


@given(st.text(min_size=1, max_size=80))
def test_identical_texts_with_words_share_a_group(text: str) -> None:
    groups = grouping.group([0, 1], [text, text])
    if grouping.words_of(text):
        assert [g.items for g in groups] == [(0, 1)]


def test_personal_data_and_placeholders_are_not_words() -> None:
    """Trial 20, finding 2: a group was labelled with an email address's parts."""
    text = "Sediakan contoh formulir, kirim ke budi.santoso@contoh.co.id atau 0812-3456-7890 [EMAIL] [•••]"
    words = grouping.words_of(text)
    assert words == {"sediakan", "contoh", "formulir", "kirim"}
    assert not {"budi", "santoso", "co", "id", "email"} & words
    assert grouping.words_of("NIK 3171015508900001, paspor B1234567") == {"nik", "paspor"}


def test_a_group_is_never_labelled_with_personal_data() -> None:
    texts = [
        "Tolong email saya di warga.sejahtera@surel.example.id soal jadwal wawancara",
        "Kirim email warga.sejahtera@surel.example.id tentang jadwal",
    ]
    groups = grouping.group([0, 1], texts)
    labels = {word for found in groups for word in found.keywords}
    assert not {"warga", "sejahtera", "surel", "example"} & labels
    assert len(groups) == 1 and set(groups[0].keywords) == {"email", "jadwal"}
