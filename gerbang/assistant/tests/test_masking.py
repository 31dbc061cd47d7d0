"""Masking: no identity number, code, address, date or name given in a question survives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gerbang.applications import numbers
from gerbang.appointments.tokens import new_code
from gerbang.assistant.masking import PLACEHOLDERS, mask


@pytest.mark.parametrize(
    ("text", "secret", "placeholder"),
    [
        ("NIK saya 3171011508900001 status?", "3171011508900001", "[NIK]"),
        ("nik 3171 0115 0890 0001 gimana", "0890", None),
        ("hp 0812-3456-7890 tolong hubungi", "3456", "[PHONE]"),
        ("call me at +62 812 3456 7890", "3456", "[PHONE]"),
        ("wa 6281234567890", "81234567890", "[PHONE]"),
        ("email budi.santoso@gmail.com pls", "budi.santoso", "[EMAIL]"),
        ("permohonan MESUJI-2026-7K3QH-9TX2M gmn", "7K3QH", "[CASE]"),
        ("show me application GRB-2026-ABCDE-FGHIJK", "ABCDE", "[CASE]"),
        ("kode booking 7K3Q-H9TX-M", "H9TX", "[BOOKING]"),
        ("kode billing 812345678901234 blm dibayar", "812345678901234", "[BILLING]"),
        ("kartu 4111 1111 1111 1111 ditolak", "4111", "[CARD]"),
        ("card 4111111111111111111 refused", "4111", "[CARD]"),
        ("paspor X1234567 hilang", "1234567", "[PASSPORT]"),
        ("passport AB1234567 lost", "1234567", "[PASSPORT]"),
        ("lahir 15-08-1990", "1990", "[DATE]"),
        ("tgl lahir 15/08/90", "08/90", "[DATE]"),
        ("born 1990-08-15", "1990", "[DATE]"),
        ("lahir 15 Agustus 1990", "Agustus", "[DATE]"),
        ("born August 15, 1990", "August", "[DATE]"),
        ("nama saya Budi Santoso mau tanya paspor", "Budi", "[NAME]"),
        ("nama sy budi santoso", "budi", "[NAME]"),
        ("my name is John Smith and I lost my passport", "Smith", "[NAME]"),
        ("saya bernama Siti, bagaimana cara bayar", "Siti", "[NAME]"),
        ("permohonan atas nama Siti Rahmawati gimana", "Rahmawati", "[NAME]"),
        ("paspor a.n. Siti Rahmawati", "Rahmawati", "[NAME]"),
        ("referensi KONS-7K3Q-H9TX", "7K3Q", "[CODE]"),
        ("kwitansi RCPT000123AB", "000123", "[CODE]"),
    ],
)
def test_personal_data_is_replaced(text: str, secret: str, placeholder: str | None) -> None:
    masked = mask(text)
    assert secret not in masked
    if placeholder is not None:
        assert placeholder in masked


@pytest.mark.parametrize(
    "text",
    [
        "paspor sy ilang gmn",
        "berapa biaya e-paspor 24 halaman",
        "how much is a passport",
        "jam buka kantor imigrasi mesuji hari sabtu",
        "biaya paspor 350000 atau 650.000?",
        "KITAS untuk 1 tahun",
        "nama saya",
    ],
)
def test_questions_without_personal_data_are_kept_as_they_are(text: str) -> None:
    assert mask(text) == text


def test_the_names_stop_where_the_question_goes_on() -> None:
    assert (
        mask("nama saya Budi dan saya mau perpanjang paspor")
        == "nama saya [NAME] dan saya mau perpanjang paspor"
    )


def test_generated_numbers_and_codes_are_masked() -> None:
    for _ in range(50):
        number = numbers.new_number(office_code="mesuji", year=2026)
        code = new_code()
        masked = mask(f"status {number} dan booking {code} gmn")
        assert number not in masked and code not in masked
        assert "[CASE]" in masked and "[BOOKING]" in masked


niks = st.from_regex(r"\A[1-9][0-9]{15}\Z", fullmatch=True)
phones = st.tuples(
    st.sampled_from(["08", "+628", "628", "+62 8"]),
    st.from_regex(r"\A[1-9][0-9]{7,10}\Z", fullmatch=True),
    st.sampled_from(["", " ", "-"]),
)
words = st.sampled_from(["", "tolong", "cek", "please check", "paspor saya", "status"])


@given(nik=niks, before=words, after=words)
def test_any_nik_is_masked(nik: str, before: str, after: str) -> None:
    masked = mask(f"{before} nik {nik} {after}")
    assert nik not in masked
    assert not re.search(r"\d{6}", masked)
    assert "[NIK]" in masked


@given(phone=phones, before=words)
def test_any_phone_number_is_masked(phone: tuple[str, str, str], before: str) -> None:
    prefix, digits, separator = phone
    written = prefix + separator.join([digits[:3], digits[3:6], digits[6:]]).strip(separator)
    masked = mask(f"{before} hubungi {written} ya")
    assert digits not in masked.replace(" ", "").replace("-", "")
    assert not re.search(r"\d{4}", masked)
    assert "[PHONE]" in masked


@given(text=st.text(max_size=200))
def test_masking_never_fails_and_never_grows_digits(text: str) -> None:
    masked = mask(text)
    assert isinstance(masked, str)
    assert not re.search(r"(?<!\d)\d{13,19}(?!\d)", masked)


def test_placeholders_are_left_alone() -> None:
    text = " ".join(PLACEHOLDERS)
    assert mask(text) == text


@pytest.mark.parametrize(
    "token",
    ["Xk_9fQ2-abcDEFghijKLmn", "abcdefgh_ijklmnopqrstu", "AbcdefghIjklmnopQrstuv", "a1b2c3d4e5f6g7h8i9j0kl"],
)
def test_a_queue_tickets_link_token_is_masked(token: str) -> None:
    """The token of a ticket's link opens its page: 22 URL-safe characters, with or without a
    digit, an underscore or a dash."""
    masked = mask(f"antrian saya {token} nomor berapa")
    assert token not in masked
    assert "[CODE]" in masked


def test_a_long_plain_word_is_not_taken_for_a_token() -> None:
    assert mask("pertanggungjawaban paspor hilang") == "pertanggungjawaban paspor hilang"
