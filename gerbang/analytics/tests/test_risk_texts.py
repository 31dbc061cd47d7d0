"""Every reason a flag can give reads as a sentence in both languages, translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from gerbang.analytics.risk.texts import describe, known_codes

PARAMS = {
    "count": 2,
    "applications": 4,
    "accounts": 3,
    "days": 90,
    "people": 6,
    "share": 98.5,
    "training": 120,
    "features": ["fill_minutes", "account_age_days"],
    "values": [1.0, 0.2],
    "typical": [30.0, 120.0],
    "gain": 0.05,
}


@pytest.mark.parametrize("code", sorted(known_codes()))
def test_each_reason_is_said_in_indonesian_and_english(code: str) -> None:
    reason = {"code": code, "params": PARAMS}
    with translation.override("en"):
        english = describe(reason)
    with translation.override("id"):
        indonesian = describe(reason)
    assert english and indonesian and english != indonesian
    assert "%(" not in english + indonesian


@pytest.mark.parametrize(
    ("share", "said"),
    [
        (100.0, "more unusual than every one of the 127 recent applications"),
        (99.96, "more unusual than 99% of the 127"),  # whole percents, never "100%" of them
        (97.4, "more unusual than 97% of the 127"),
    ],
)
def test_the_anomaly_score_is_said_without_false_precision(share: float, said: str) -> None:
    reason = {"code": "anomaly.score", "params": {**PARAMS, "share": share, "training": 127}}
    with translation.override("en"):
        assert said in describe(reason)
