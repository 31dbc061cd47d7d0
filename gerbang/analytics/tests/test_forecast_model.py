"""The forecasting on synthetic series of known shape: it beats the naive baseline where seasons,
holidays and a trend are there to learn, and falls back honestly when the history is short."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gerbang.analytics.forecast import model, synthetic
from gerbang.analytics.forecast.model import Baseline, Method, Week


@pytest.mark.parametrize("seed", [11, 12])
def test_the_forecast_beats_the_same_week_last_year_on_a_seasonal_series(seed: int) -> None:
    series = synthetic.series(160, seed=seed)
    tested = model.backtest(series.counts, series.weeks)
    assert tested is not None
    assert tested.method is Method.REGRESSION and tested.baseline is Baseline.SAME_WEEK_LAST_YEAR
    assert tested.origins == model.BACKTEST_WEEKS and tested.pairs == 78  # 12 + 11 + ... + 1
    assert tested.ratio is not None and tested.ratio < 0.8
    assert tested.model_mae < tested.baseline_mae


def test_the_forecast_follows_the_calendar_of_the_coming_weeks() -> None:
    series = synthetic.series(160, seed=3)
    coming = synthetic.future_weeks(160, 12)
    found = model.forecast(series.counts, series.weeks, coming)
    assert found.method is Method.REGRESSION and len(found.predictions) == 12
    assert set(found.seasons_used) == {"ramadan", "idulfitri", "hajj", "school"}
    for prediction in found.predictions:
        assert 0 <= prediction.lower <= prediction.expected <= prediction.upper
    # A week with fewer working days (a holiday) is forecast lower than its full neighbours.
    full = [p.expected for p, week in zip(found.predictions, coming, strict=True) if week.working_days == 5]
    short = [
        (p.expected, n)
        for n, (p, week) in enumerate(zip(found.predictions, coming, strict=True))
        if week.working_days < 5
    ]
    assert short, "the twelve weeks after the series hold a holiday"
    for expected, n in short:
        neighbours = [found.predictions[m].expected for m in (n - 1, n + 1) if 0 <= m < 12]
        assert expected < min(neighbours) or expected < sum(full) / len(full)


def test_a_year_of_history_compares_with_the_last_week_instead() -> None:
    series = synthetic.series(60, seed=5)
    tested = model.backtest(series.counts, series.weeks)
    assert tested is not None and tested.method is Method.REGRESSION
    assert tested.baseline is Baseline.LAST_WEEK


def _flat(weeks: int, per_day: float, start: date = date(2026, 9, 7)) -> tuple[list[float], list[Week]]:
    calendar = [Week(start + timedelta(weeks=n), 5, (0.0, 0.0, 0.0, 0.0)) for n in range(weeks)]
    counts = [per_day * 5 + (1 if n % 2 else -1) for n in range(weeks)]
    return counts, calendar


def test_a_short_history_falls_back_to_smoothing_the_daily_rate() -> None:
    counts, calendar = _flat(20, 4.0)
    later = calendar[-1].start + timedelta(weeks=1)
    coming = [Week(later, 5, (0.0,) * 4), Week(later + timedelta(weeks=1), 3, (0.0,) * 4)]
    found = model.forecast(counts, calendar, coming)
    assert found.method is Method.SMOOTHING
    full, short = found.predictions
    assert full.expected == pytest.approx(20, abs=1.5)
    # Three working days: three fifths of a full week.
    assert short.expected == pytest.approx(full.expected * 3 / 5)
    tested = model.backtest(counts, calendar)
    assert tested is not None and tested.method is Method.SMOOTHING and tested.baseline is Baseline.LAST_WEEK


def test_too_short_a_history_gives_no_forecast() -> None:
    counts, calendar = _flat(model.MIN_WEEKS - 1, 4.0)
    coming = [Week(calendar[-1].start + timedelta(weeks=1), 5, (0.0,) * 4)]
    found = model.forecast(counts, calendar, coming)
    assert found.method is Method.NONE and found.predictions == ()
    assert model.backtest(counts, calendar) is None


def test_history_and_calendar_must_match() -> None:
    counts, calendar = _flat(10, 1.0)
    with pytest.raises(ValueError, match="same length"):
        model.forecast(counts[:-1], calendar, calendar[:1])
