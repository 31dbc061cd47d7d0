"""Forecasting weekly demand: numbers in, numbers out (docs/analytics.md, "Demand forecasts").

A series is the applications one office received per week (Monday to Sunday, the office's own
days), for one service or all. Each week comes with what the calendar knows of it (``Week``):
its working days (weekends, national holidays, collective leave and the office's closures taken
out) and the share of its days inside each season's window (``catalog.seasons``).

- At least ``MIN_REGRESSION_WEEKS`` of history: a regression of the weekly count on the calendar
  (a constant, the working days, each season seen in the history; with two years or more also a
  trend and the yearly cycle as two pairs of Fourier terms) with AR(1) errors: SARIMAX(1,0,0)
  with those regressors as ``exog``. Its parameters are estimated by feasible GLS
  (Cochrane-Orcutt iterations, statsmodels' ``GLSAR``: a hundred times faster than SARIMAX's
  numerical likelihood, to the same estimates here); the forecasts and their intervals are
  SARIMAX's Kalman filter with those parameters.
- Fewer weeks, at least ``MIN_WEEKS``: simple exponential smoothing (statsmodels' ETS, additive
  error, no trend or season) of the applications per working day, times the working days of
  each coming week. Holidays still count; seasons do not (not enough history to see them).
- Fewer still: no forecast.

``backtest`` forecasts the last ``BACKTEST_WEEKS`` weeks again from the data before each of
them (rolling origin, every lead up to the horizon) and compares the error with the naive
forecast: the same week a year before (52 weeks), or the last week known when the history is
shorter than a year before the first tested week.

statsmodels and pandas are imported inside the functions that need them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy

from gerbang.catalog.seasons import KINDS

MIN_WEEKS = 8
MIN_REGRESSION_WEEKS = 40
LONG_WEEKS = 104  # two years: a trend and the yearly cycle are estimated too
YEAR_WEEKS = 52
HORIZON = 12
BACKTEST_WEEKS = 12
INTERVAL = 0.80  # the share of outcomes the interval should hold
# A season's effect is estimated only when at least this many weeks of the history touch it.
MIN_SEASON_WEEKS = 2
# Weeks of history the smoothing needs before the first week it is tested on.
MIN_SMOOTHING_TRAINING = 6


class Method(StrEnum):
    REGRESSION = "regression_ar1"
    SMOOTHING = "smoothing"
    NONE = "none"


class Baseline(StrEnum):
    SAME_WEEK_LAST_YEAR = "same_week_last_year"
    LAST_WEEK = "last_week"


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    working_days: int
    seasons: tuple[float, ...]  # share of the week inside each kind's window (seasons.KINDS)


@dataclass(frozen=True)
class Prediction:
    expected: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Forecast:
    method: Method
    predictions: tuple[Prediction, ...]
    # Seasons whose effect was estimated, and those the coming weeks touch that the history
    # does not show (their effect is not in the forecast).
    seasons_used: tuple[str, ...] = ()
    seasons_unseen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Backtest:
    method: Method
    baseline: Baseline
    origins: int  # weeks forecast again, each from the data before it
    pairs: int  # (origin, week) pairs compared
    model_mae: float
    baseline_mae: float
    actual_mean: float

    @property
    def ratio(self) -> float | None:
        """The model's error as a share of the baseline's (below 1: the model is better)."""
        return self.model_mae / self.baseline_mae if self.baseline_mae > 0 else None


def method_for(weeks: int) -> Method:
    if weeks >= MIN_REGRESSION_WEEKS:
        return Method.REGRESSION
    if weeks >= MIN_WEEKS:
        return Method.SMOOTHING
    return Method.NONE


def forecast(history: Sequence[float], past: Sequence[Week], future: Sequence[Week]) -> Forecast:
    """The coming weeks ``future`` of a series whose weeks so far are ``past`` (the same length
    as ``history``, in order, without gaps)."""
    if len(history) != len(past):
        raise ValueError("history and past must have the same length")
    method = method_for(len(history))
    if method is Method.NONE or not future:
        return Forecast(method, ())
    y = numpy.asarray(history, dtype=float)
    if method is Method.REGRESSION:
        return _regression(y, past, future)
    return Forecast(method, tuple(_smoothing(y, past, future)))


# --- Regression on the calendar with AR(1) errors ----------------------------------------------


def _cycle(day: date) -> list[float]:
    angle = 2 * math.pi * (day + timedelta(days=3)).timetuple().tm_yday / 365.25
    return [math.sin(angle), math.cos(angle), math.sin(2 * angle), math.cos(2 * angle)]


@dataclass(frozen=True)
class _Design:
    columns: tuple[str, ...]
    seasons: tuple[int, ...]  # indexes into KINDS
    long: bool

    def matrix(self, weeks: Sequence[Week], offset: int) -> numpy.ndarray:
        rows = []
        for n, week in enumerate(weeks):
            row = [1.0]
            if "working_days" in self.columns:
                row.append(float(week.working_days))
            row += [week.seasons[k] for k in self.seasons]
            if self.long:
                row.append((offset + n) / YEAR_WEEKS)
                row += _cycle(week.start)
            rows.append(row)
        return numpy.array(rows, dtype=float)


def _design(past: Sequence[Week]) -> _Design:
    columns = ["const"]
    working = [week.working_days for week in past]
    top = max(working)
    if sum(1 for days in working if days < top) >= MIN_SEASON_WEEKS:
        columns.append("working_days")
    seasons = []
    for k, kind in enumerate(KINDS):
        touched = sum(1 for week in past if week.seasons[k] > 0)
        if MIN_SEASON_WEEKS <= touched < len(past):
            seasons.append(k)
            columns.append(str(kind))
    long = len(past) >= LONG_WEEKS
    if long:
        columns += ["trend", "sin1", "cos1", "sin2", "cos2"]
    return _Design(tuple(columns), tuple(seasons), long)


def _estimate(y: numpy.ndarray, x: numpy.ndarray) -> numpy.ndarray:
    """SARIMAX(1,0,0)'s parameters (regression coefficients, AR(1), innovation variance) by
    feasible GLS."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = sm.GLSAR(y, x, rho=1).iterative_fit(maxiter=8)
    rho = float(numpy.clip(fitted.model.rho[0], -0.9, 0.9)) if numpy.isfinite(fitted.model.rho[0]) else 0.0
    scale = float(fitted.scale) if numpy.isfinite(fitted.scale) else 0.0
    return numpy.asarray(numpy.r_[fitted.params, rho, max(scale, 1e-4)], dtype=float)


def _filter_forecast(
    y: numpy.ndarray, x: numpy.ndarray, params: numpy.ndarray, x_future: numpy.ndarray
) -> list[Prediction]:
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SARIMAX(y, exog=x, order=(1, 0, 0), trend="n")
        result = model.filter(params)
        ahead = result.get_forecast(steps=len(x_future), exog=x_future)
        mean = numpy.asarray(ahead.predicted_mean, dtype=float)
        bounds = numpy.asarray(ahead.conf_int(alpha=1 - INTERVAL), dtype=float)
    return [
        Prediction(max(0.0, float(m)), max(0.0, float(low)), max(0.0, float(high)))
        for m, (low, high) in zip(mean, bounds, strict=True)
    ]


def _regression(y: numpy.ndarray, past: Sequence[Week], future: Sequence[Week]) -> Forecast:
    design = _design(past)
    x = design.matrix(past, 0)
    params = _estimate(y, x)
    predictions = _filter_forecast(y, x, params, design.matrix(future, len(past)))
    used = {KINDS[k] for k in design.seasons}
    unseen = sorted(
        {str(kind) for k, kind in enumerate(KINDS) for week in future if week.seasons[k] > 0} - used
    )
    return Forecast(
        Method.REGRESSION,
        tuple(predictions),
        seasons_used=tuple(str(KINDS[k]) for k in design.seasons),
        seasons_unseen=tuple(unseen),
    )


# --- Exponential smoothing of the daily rate (short history) -------------------------------------


def _smoothing(y: numpy.ndarray, past: Sequence[Week], future: Sequence[Week]) -> list[Prediction]:
    import pandas
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    rates = [count / week.working_days for count, week in zip(y, past, strict=True) if week.working_days]
    if len(rates) < 2 or numpy.ptp(rates) == 0:
        level = rates[-1] if rates else 0.0
        means, lows, highs = [level] * len(future), [level] * len(future), [level] * len(future)
    else:
        series = pandas.Series(rates, index=pandas.RangeIndex(len(rates)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = ETSModel(series, error="add", trend=None, seasonal=None).fit(disp=False)
            frame = fitted.get_prediction(start=len(rates), end=len(rates) + len(future) - 1).summary_frame(
                alpha=1 - INTERVAL
            )
        means = list(frame["mean"])
        lows, highs = list(frame["pi_lower"]), list(frame["pi_upper"])
    return [
        Prediction(
            max(0.0, float(mean) * week.working_days),
            max(0.0, float(low) * week.working_days),
            max(0.0, float(high) * week.working_days),
        )
        for mean, low, high, week in zip(means, lows, highs, future, strict=True)
    ]


# --- Rolling-origin backtest -----------------------------------------------------------------------


def _minimum_training(method: Method) -> int:
    return MIN_REGRESSION_WEEKS if method is Method.REGRESSION else MIN_SMOOTHING_TRAINING


def backtest(
    history: Sequence[float],
    past: Sequence[Week],
    *,
    origins: int = BACKTEST_WEEKS,
    horizon: int = HORIZON,
) -> Backtest | None:
    """The last ``origins`` weeks forecast again, each from the weeks before it and with the
    method the whole history gets, at every lead up to ``horizon`` weeks that the history
    holds; the mean absolute error against the naive baseline's on the same weeks. None when
    the history is too short to test the method on one week."""
    n = len(history)
    method = method_for(n)
    if method is Method.NONE:
        return None
    first = max(n - origins, _minimum_training(method))
    if first >= n:
        return None
    y = numpy.asarray(history, dtype=float)
    baseline = Baseline.SAME_WEEK_LAST_YEAR if first >= YEAR_WEEKS else Baseline.LAST_WEEK
    model_errors: list[float] = []
    baseline_errors: list[float] = []
    actual: list[float] = []
    for origin in range(first, n):
        end = min(origin + horizon, n)
        training, ahead = past[:origin], past[origin:end]
        if method is Method.REGRESSION:
            design = _design(training)
            x = design.matrix(training, 0)
            params = _estimate(y[:origin], x)
            predicted = _filter_forecast(y[:origin], x, params, design.matrix(ahead, origin))
        else:
            predicted = _smoothing(y[:origin], training, ahead)
        for step, prediction in enumerate(predicted):
            week = origin + step
            naive = y[week - YEAR_WEEKS] if baseline is Baseline.SAME_WEEK_LAST_YEAR else y[origin - 1]
            model_errors.append(abs(prediction.expected - y[week]))
            baseline_errors.append(abs(naive - y[week]))
            actual.append(y[week])
    return Backtest(
        method=method,
        baseline=baseline,
        origins=n - first,
        pairs=len(model_errors),
        model_mae=float(numpy.mean(model_errors)),
        baseline_mae=float(numpy.mean(baseline_errors)),
        actual_mean=float(numpy.mean(actual)),
    )
