"""The IKM arithmetic against hand-worked examples (PermenPANRB 14/2017), both weight
conventions, the grade boundaries and the Krejcie-Morgan table."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gerbang.ikm import computation
from gerbang.ikm.computation import Grade

# Twenty respondents whose NRR are 3.25, 3.10, 3.05, 3.80, 3.20, 3.30, 3.40, 3.15 and 3.00
# (Σ NRR = 29.25).
SUMS = [65, 62, 61, 76, 64, 66, 68, 63, 60]


def test_weights_of_each_convention() -> None:
    assert computation.weight(3) == Fraction("0.111")
    assert computation.weight(2) == Fraction("0.11")
    assert computation.weight(None) == Fraction(1, 9)


def test_nrr_is_the_sum_over_the_respondents() -> None:
    outcome = computation.from_sums(SUMS, 20, population=20, weight_decimals=3)
    assert [computation.rounded(value) for value in outcome.nrr] == [
        Decimal(v) for v in ("3.25", "3.10", "3.05", "3.80", "3.20", "3.30", "3.40", "3.15", "3.00")
    ]


@pytest.mark.parametrize(
    ("decimals", "expected", "grade"),
    [
        # 29.25 x 0.111 = 3.24675; x 25 = 81.16875 → 81.17
        (3, Decimal("81.17"), Grade.B),
        # 29.25 x 0.11 = 3.2175; x 25 = 80.4375 → 80.44
        (2, Decimal("80.44"), Grade.B),
        # 29.25 / 9 = 3.25; x 25 = 81.25
        (None, Decimal("81.25"), Grade.B),
    ],
)
def test_hand_worked_index(decimals: int | None, expected: Decimal, grade: Grade) -> None:
    outcome = computation.from_sums(SUMS, 20, population=20, weight_decimals=decimals)
    assert outcome.ikm == expected
    assert outcome.grade == grade


def test_everyone_answering_3_in_each_convention() -> None:
    answers = [[3] * 9] * 4
    # 9 x 3 x 0.111 x 25 = 74.925 → 74.93 (rounded half up); 9 x 3 x 0.11 x 25 = 74.25; exact 75.
    assert computation.compute(answers, population=4, weight_decimals=3).ikm == Decimal("74.93")
    assert computation.compute(answers, population=4, weight_decimals=2).ikm == Decimal("74.25")
    assert computation.compute(answers, population=4, weight_decimals=None).ikm == Decimal("75.00")


def test_all_fours_reach_100_only_with_the_exact_weight() -> None:
    answers = [[4] * 9]
    assert computation.compute(answers, population=1, weight_decimals=None).ikm == Decimal("100.00")
    assert computation.compute(answers, population=1, weight_decimals=3).ikm == Decimal("99.90")
    assert computation.compute(answers, population=1, weight_decimals=2).ikm == Decimal("99.00")


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [
        ("100", Grade.A),
        ("88.31", Grade.A),
        ("88.30", Grade.B),
        ("76.61", Grade.B),
        ("76.60", Grade.C),
        ("65.00", Grade.C),
        ("64.99", Grade.D),
        ("25.00", Grade.D),
        # Read on the value rounded to 2 decimals (half up).
        ("88.305", Grade.A),
        ("88.3049", Grade.B),
        ("76.605", Grade.B),
        ("64.995", Grade.C),
        ("64.9949", Grade.D),
    ],
)
def test_grade_boundaries(ikm: str, grade: Grade) -> None:
    assert computation.grade(Decimal(ikm)) == grade


def test_the_grade_of_an_outcome_is_read_on_its_rounded_index() -> None:
    # One respondent, exact weight: IKM = Σ scores / 9 x 25.
    cases = [
        ([3, 3, 3, 3, 3, 2, 2, 2, 2], Decimal("63.89"), Grade.D),  # 23 / 9 x 25 = 63.888…
        ([3, 3, 3, 3, 3, 3, 2, 2, 2], Decimal("66.67"), Grade.C),  # 24 → 66.666…
        ([3, 3, 3, 3, 3, 3, 3, 3, 4], Decimal("77.78"), Grade.B),  # 28 → 77.777…
        ([4, 4, 4, 4, 4, 3, 3, 3, 3], Decimal("88.89"), Grade.A),  # 32 → 88.888…
    ]
    for scores, ikm, grade in cases:
        outcome = computation.compute([scores], population=1, weight_decimals=None)
        assert (outcome.ikm, outcome.grade) == (ikm, grade)


def test_no_respondent_no_grade() -> None:
    outcome = computation.from_sums([0] * 9, 0, population=50, weight_decimals=3)
    assert outcome.grade is None and outcome.ikm == Decimal("0.00") and outcome.below_sample
    assert outcome.lowest_element is None


def test_lowest_element_is_the_first_of_the_lowest() -> None:
    outcome = computation.compute([[4, 3, 2, 4, 4, 2, 4, 4, 4]], population=1, weight_decimals=3)
    assert outcome.lowest_element == 2


def test_answers_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="9 scores"):
        computation.compute([[5, 3, 3, 3, 3, 3, 3, 3, 3]], population=1, weight_decimals=3)
    with pytest.raises(ValueError, match="9 scores"):
        computation.compute([[3] * 8], population=1, weight_decimals=3)


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0),
        (1, 1),
        (9, 9),
        (10, 10),
        (11, 11),  # the formula, rounded up (never more than everyone)
        (165, 116),  # between two rows: the formula (115.6), not the next row's 118
        (100, 80),
        (101, 81),
        (220, 141),  # 140.3 rounded up (the table prints 140)
        (1000, 278),
        (10_000, 370),
        (1_000_000, 384),
        (5_000_000, 385),
    ],
)
def test_krejcie_morgan_lookup(population: int, sample: int) -> None:
    assert computation.minimum_sample(population) == sample


def test_the_table_follows_krejcie_and_morgans_formula() -> None:
    """s = χ²NP(1-P) / (d²(N-1) + χ²P(1-P)), χ² = 3.841, P = 0.5, d = 0.05: each printed row
    within one person of it (the article rounds), and ``minimum_sample`` (the formula, rounded
    up) within one person of every printed row; populations and samples rising."""
    for population, sample in computation.KREJCIE_MORGAN:
        formula = 3.841 * population * 0.25 / (0.0025 * (population - 1) + 3.841 * 0.25)
        assert abs(formula - sample) <= 1, (population, sample, formula)
        assert abs(computation.minimum_sample(population) - sample) <= 1, (population, sample)
    populations = [row[0] for row in computation.KREJCIE_MORGAN]
    samples = [row[1] for row in computation.KREJCIE_MORGAN]
    assert populations == sorted(set(populations)) and samples == sorted(samples)
