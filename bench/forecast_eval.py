"""Does the demand forecast beat the naive baseline on seasonal series? (issue 21's "done means")

Generates synthetic weekly series (``analytics.forecast.synthetic``: a trend, a yearly cycle,
the seasons of ``catalog.seasons`` — Umrah before Ramadan, Idulfitri, Hajj, school holidays —,
national holidays that take working days out, Poisson noise) from fixed seeds, and runs the
real forecasting code's rolling-origin backtest (``analytics.forecast.model.backtest``: the last
12 weeks each forecast again from the weeks before, at every lead up to 12 weeks). It prints the
model's mean absolute error against the naive same-week-last-year forecast's on the same weeks
(the anchor), and their ratio; with less than a year before the tested weeks the baseline is
the last week known (as on the page). Also the time one backtest takes.

Goal: the model's error below the baseline's (ratio < 1) for every scenario with two years or
more, pooled over the seeds.

  .venv/bin/python bench/forecast_eval.py [--seeds 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (name, weeks of history, applications per working day)
SCENARIOS = (
    ("busy office, 3 years", 156, 10.0),
    ("busy office, 2 years", 104, 10.0),
    ("one service, 3 years", 156, 2.0),
    ("small office, 3 years", 156, 0.6),
    ("busy office, 1 year (baseline: last week)", 60, 10.0),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    arguments = parser.parse_args()

    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")
    import django

    django.setup()
    from gerbang.analytics.forecast import model, synthetic

    print(
        f"Rolling-origin backtest: last {model.BACKTEST_WEEKS} weeks, leads 1-{model.HORIZON}, {arguments.seeds} seeds"
    )
    print(
        f"{'scenario':44} {'baseline':20} {'model MAE':>9} {'naive MAE':>9} {'ratio':>6} {'worst':>6} {'ms':>6}"
    )
    met = True
    for name, weeks, per_day in SCENARIOS:
        model_errors, naive_errors, ratios, timings = [], [], [], []
        baseline = ""
        for seed in range(arguments.seeds):
            series = synthetic.series(weeks, seed=1000 + seed, per_day=per_day)
            started = time.perf_counter()
            tested = model.backtest(series.counts, series.weeks)
            timings.append((time.perf_counter() - started) * 1000)
            assert tested is not None
            baseline = tested.baseline.value
            model_errors.append(tested.model_mae)
            naive_errors.append(tested.baseline_mae)
            if tested.ratio is not None:
                ratios.append(tested.ratio)
        pooled = statistics.mean(model_errors) / statistics.mean(naive_errors)
        if weeks >= model.LONG_WEEKS and pooled >= 1:
            met = False
        print(
            f"{name:44} {baseline:20} {statistics.mean(model_errors):9.2f} {statistics.mean(naive_errors):9.2f}"
            f" {pooled:6.2f} {max(ratios):6.2f} {statistics.median(timings):6.0f}"
        )
    print(
        f"Goal (model error below the same-week-last-year baseline's, two years or more): {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
