"""The IKM (Indeks Kepuasan Masyarakat) arithmetic of PermenPANRB No. 14 Tahun 2017, as pure
functions: no database, no settings, so the published figures can be checked by hand.

- NRR per element (nilai rata-rata) = the sum of the element's scores / the respondents.
- The weight of each of the nine elements is 1/9; the regulation's worked examples round it
  (0.111, or 0.11): ``weight(3)`` is 0.111, ``weight(2)`` 0.11, ``weight(None)`` exactly 1/9.
- IKM = Σ (NRR x weight) x 25 (the conversion of the 1-4 scale to 25-100).

Rounding: nothing is rounded on the way (NRR and weighted NRR are exact fractions); the IKM
is rounded once, half up, to 2 decimals, and the grade is read from that rounded value, so
88.30 is B and 88.31 is A whatever the digits after the second.

The minimum sample comes from the Krejcie-Morgan table (Krejcie, R. V. & Morgan, D. W. (1970),
"Determining Sample Size for Research Activities", Educational and Psychological Measurement
30, 607-610), the table the regulation reproduces in its annex for the population of users. It
is computed with their formula for every population; the table is kept as the reference the
formula is checked against.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

ELEMENTS = 9
SCALE = (1, 2, 3, 4)
CONVERSION = 25


class Grade(StrEnum):
    A = "A"  # Sangat Baik
    B = "B"  # Baik
    C = "C"  # Kurang Baik
    D = "D"  # Tidak Baik


# The lowest IKM (rounded to 2 decimals) of each grade, best first; below C's lowest is D.
GRADE_FLOORS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal("88.31"), Grade.A),
    (Decimal("76.61"), Grade.B),
    (Decimal("65.00"), Grade.C),
)

# Krejcie & Morgan (1970), Table 1: population N → sample S (95 % confidence, 5 % margin, P = 0.5).
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144), (240, 148),
    (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169), (320, 175),
    (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320),
    (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346),
    (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip


def weight(decimals: int | None) -> Fraction:
    """Each element's weight: 1/9, rounded half up to ``decimals`` places (None: exact)."""
    exact = Fraction(1, ELEMENTS)
    if decimals is None:
        return exact
    return Fraction(Decimal(1 / ELEMENTS).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def nrr(total: int, respondents: int) -> Fraction:
    """An element's NRR: the sum of its scores over the respondents (0 with no respondent)."""
    return Fraction(total, respondents) if respondents else Fraction(0)


def index(nrrs: Sequence[Fraction], *, weight_decimals: int | None) -> Fraction:
    """The IKM, exact: Σ (NRR x weight) x 25."""
    if len(nrrs) != ELEMENTS:
        raise ValueError(f"an IKM needs {ELEMENTS} elements, not {len(nrrs)}")
    each = weight(weight_decimals)
    return sum((value * each for value in nrrs), Fraction(0)) * CONVERSION


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (the only rounding of the IKM)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade(ikm: Decimal) -> Grade:
    """The grade of an IKM, read on its value rounded to 2 decimals."""
    value = ikm.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    for floor, name in GRADE_FLOORS:
        if value >= floor:
            return name
    return Grade.D


def minimum_sample(population: int) -> int:
    """The Krejcie-Morgan sample for ``population``, from their formula (the published table is
    this formula rounded): s = χ²·N·P(1-P) / (d²(N-1) + χ²·P(1-P)), χ² = 3.841, P = 0.5,
    d = 0.05, computed exactly and rounded up (never fewer than the formula asks). A population
    between two rows of the table therefore gets its own figure (165 → 116), not the next row's."""
    if population <= 0:
        return 0
    chi2, spread, margin2 = Fraction(3841, 1000), Fraction(1, 4), Fraction(1, 400)
    sample = chi2 * population * spread / (margin2 * (population - 1) + chi2 * spread)
    return min(population, math.ceil(sample))


@dataclass(frozen=True)
class Outcome:
    """The figures of a set of answers."""

    respondents: int
    sums: tuple[int, ...]
    nrr: tuple[Fraction, ...]
    ikm: Decimal  # rounded to 2 decimals
    grade: Grade | None  # None without respondents
    population: int
    minimum_sample: int

    @property
    def below_sample(self) -> bool:
        return self.respondents < self.minimum_sample

    @property
    def lowest_element(self) -> int | None:
        """The index (0-8) of the lowest NRR, the first of equals; None without respondents."""
        if not self.respondents:
            return None
        return min(range(ELEMENTS), key=lambda position: self.nrr[position])


def from_sums(
    sums: Sequence[int], respondents: int, *, population: int, weight_decimals: int | None
) -> Outcome:
    if len(sums) != ELEMENTS:
        raise ValueError(f"an IKM needs {ELEMENTS} elements, not {len(sums)}")
    nrrs = tuple(nrr(total, respondents) for total in sums)
    value = rounded(index(nrrs, weight_decimals=weight_decimals)) if respondents else Decimal("0.00")
    return Outcome(
        respondents=respondents,
        sums=tuple(sums),
        nrr=nrrs,
        ikm=value,
        grade=grade(value) if respondents else None,
        population=population,
        minimum_sample=minimum_sample(population),
    )


def compute(answers: Sequence[Sequence[int]], *, population: int, weight_decimals: int | None) -> Outcome:
    """The figures of ``answers`` (each the nine scores of one respondent, 1-4)."""
    for scores in answers:
        if len(scores) != ELEMENTS or any(score not in SCALE for score in scores):
            raise ValueError(f"each answer is {ELEMENTS} scores from 1 to 4, not {scores!r}")
    sums = [sum(scores[position] for scores in answers) for position in range(ELEMENTS)]
    return from_sums(sums, len(answers), population=population, weight_decimals=weight_decimals)
