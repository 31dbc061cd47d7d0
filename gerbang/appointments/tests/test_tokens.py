"""Booking codes."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from gerbang.applications.numbers import ALPHABET
from gerbang.appointments import tokens

pytestmark = pytest.mark.django_db


def test_booking_codes_are_random_typable_and_checked() -> None:
    codes = [tokens.new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-.", code) for code in codes)
    assert all(tokens.normalize_code(code.lower().replace("-", " ")) == code for code in codes[:50])
    # Every character of the alphabet, about equally often (16,000 draws: ~500 each).
    drawn = Counter(char for code in codes for char in code[:9] if char != "-")
    assert set(drawn) == set(ALPHABET)
    assert min(drawn.values()) > 350 and max(drawn.values()) < 650
    # One character typed wrong is caught by the check character.
    code = codes[0]
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    assert tokens.normalize_code(wrong) is None
