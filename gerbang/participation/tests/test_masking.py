"""No personal data in public posts: whatever surrounds them, NIKs, phone numbers and email
addresses never survive masking, and ordinary words and small numbers are kept as written."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gerbang.participation.masking import HIDDEN, mask

WORDS = st.lists(
    st.sampled_from(["antre", "paspor", "jam", "08:00", "Rp 350.000", "loket 3", "ok,", "2 jam", "Sabtu."]),
    max_size=8,
).map(" ".join)
NIKS = st.from_regex(r"[1-9]\d{15}", fullmatch=True)
PHONES = st.builds(
    lambda prefix, digits: prefix + digits,
    st.sampled_from(["08", "+628", "628", "+62 8", "0 8"]),
    st.from_regex(r"\d{3}[ .-]?\d{4}[ .-]?\d{3,4}", fullmatch=True),
)
EMAILS = st.from_regex(r"[a-z][a-z0-9.]{0,10}@[a-z]{2,8}\.(com|id|co\.id)", fullmatch=True)


@given(before=WORDS, after=WORDS, secret=st.one_of(NIKS, PHONES, EMAILS))
def test_personal_data_never_survives(before: str, after: str, secret: str) -> None:
    masked, changed = mask(f"{before} {secret} {after}")
    assert changed and HIDDEN in masked
    assert secret not in masked
    # No run of ten digits or more is left, however it is written (spaces, dots, dashes).
    for run in re.findall(r"\d[\d .-]*\d", masked):
        assert sum(ch.isdigit() for ch in run) < 10, run


@given(text=WORDS)
def test_ordinary_text_is_kept(text: str) -> None:
    assert mask(text) == (text, False)
