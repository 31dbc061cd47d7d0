"""The forecast's chart: past weekly applications, the forecast and its interval, drawn on the
server as SVG by pygal in the statistics' style (``transparency.charts``); the page gives the
same numbers in a table under it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pygal
from django.utils.translation import gettext as _

from gerbang.analytics.models import ForecastSeries
from gerbang.core.formatting import day_short
from gerbang.transparency.charts import chart_options, render_svg


@dataclass(frozen=True)
class Point:
    week: date
    actual: float | None  # applications received (past weeks)
    expected: float | None = None  # the forecast (coming weeks)
    lower: float | None = None
    upper: float | None = None
    working_days: int | None = None


def points(series: ForecastSeries) -> list[Point]:
    """The chart's and the table's rows: the recent weeks, then the weeks forecast."""
    weeks = list(series.weeks.all())
    first_future = weeks[0].week if weeks else series.run.first_week
    recent = list(series.recent)
    start = first_future - timedelta(weeks=len(recent))
    made = [Point(start + timedelta(weeks=n), count) for n, count in enumerate(recent)]
    made += [Point(w.week, None, w.expected, w.lower, w.upper, w.working_days) for w in weeks]
    return made


def forecast_chart(series: ForecastSeries, title: str, narrow: bool = False) -> bytes:
    rows = points(series)
    # Every second week labelled (every fourth on a phone), so the labels stay readable.
    options = {
        **chart_options(title, narrow),
        "show_minor_x_labels": False,
        "x_labels_major_every": 4 if narrow else 2,
    }
    chart = pygal.Line(**options, dots_size=2)
    chart.x_labels = [day_short(row.week) for row in rows]
    chart.add(_("Applications received"), [row.actual for row in rows])
    chart.add(_("Forecast"), [None if row.expected is None else round(row.expected, 1) for row in rows])
    dashed = {"dasharray": "6, 4", "width": 2}
    chart.add(
        _("Upper bound (80% band)"),
        [None if row.upper is None else round(row.upper, 1) for row in rows],
        show_dots=False,
        stroke_style=dashed,
    )
    chart.add(
        _("Lower bound (80% band)"),
        [None if row.lower is None else round(row.lower, 1) for row in rows],
        show_dots=False,
        stroke_style=dashed,
    )
    return render_svg(chart)
