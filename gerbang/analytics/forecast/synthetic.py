"""Synthetic weekly demand with a known shape, to test the forecasting against the naive
baseline (``tests/test_forecast_model.py``, ``bench/forecast_eval.py``).

A day's expected applications are a base rate that grows by a trend, with a smooth yearly
cycle, raised or lowered inside the seasons' windows (``catalog.seasons``); only working days
receive any. Holidays are the fixed-date national ones and Idulfitri's (which moves eleven days
earlier each year, so the same week a year before is the wrong week around it). Each week's
count is drawn from a Poisson law around the sum, times a little extra noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy

from gerbang.analytics.forecast.model import Week
from gerbang.catalog.seasons import SEASONS, SeasonKind, in_window, shares

FIRST_MONDAY = date(2023, 1, 2)
FIXED_HOLIDAYS = ((1, 1), (5, 1), (6, 1), (8, 17), (12, 25), (12, 26))
# How much each season's window moves a day's demand (Idulfitri: mudik, fewer).
EFFECTS = {
    SeasonKind.RAMADAN: 0.30,
    SeasonKind.IDULFITRI: -0.45,
    SeasonKind.HAJJ: 0.35,
    SeasonKind.SCHOOL: 0.25,
}


@dataclass(frozen=True)
class Series:
    counts: list[float]
    weeks: list[Week]


def holidays() -> set[date]:
    found = {date(year, month, day) for year in range(2023, 2029) for month, day in FIXED_HOLIDAYS}
    for season in SEASONS:
        if season.kind is SeasonKind.IDULFITRI:
            found |= {season.first + timedelta(days=n) for n in range(-2, 4)}
    return found


def series(
    weeks: int,
    *,
    seed: int,
    per_day: float = 10.0,
    growth: float = 0.08,
    cycle: float = 0.10,
    noise: float = 0.05,
) -> Series:
    """``weeks`` weeks from ``FIRST_MONDAY`` (at most until mid-2028, where the seasons table ends)."""
    generator = numpy.random.default_rng(seed)
    closed = holidays()
    counts: list[float] = []
    made: list[Week] = []
    for n in range(weeks):
        monday = FIRST_MONDAY + timedelta(weeks=n)
        expected = 0.0
        working = 0
        for offset in range(5):
            day = monday + timedelta(days=offset)
            if day in closed:
                continue
            working += 1
            angle = 2 * math.pi * day.timetuple().tm_yday / 365.25
            rate = per_day * (1 + growth * n / 52) * (1 + cycle * math.sin(angle))
            for kind, effect in EFFECTS.items():
                if in_window(kind, day):
                    rate *= 1 + effect
            expected += rate
        drawn = generator.poisson(max(0.0, expected * generator.normal(1.0, noise)))
        counts.append(float(drawn))
        made.append(Week(monday, working, shares(monday)))
    return Series(counts, made)


def future_weeks(start: int, count: int) -> list[Week]:
    """The calendar of the ``count`` weeks after the first ``start`` weeks (for forecasting
    beyond a generated series)."""
    closed = holidays()
    made = []
    for n in range(start, start + count):
        monday = FIRST_MONDAY + timedelta(weeks=n)
        working = sum(1 for offset in range(5) if monday + timedelta(days=offset) not in closed)
        made.append(Week(monday, working, shares(monday)))
    return made
