"""The statistics' charts, drawn on the server as SVG by pygal (no JavaScript in the browser).

Each chart is served at its own address and shown as an image with its title as alternative
text; the page gives the same numbers in a table beside it. Withheld figures are gaps. pygal's
own script (its tooltips) is taken out: images run no script, and the page works without it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pygal
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pygal.style import Style

from gerbang.core.formatting import month_short
from gerbang.transparency.selectors import Summary

WIDTH, HEIGHT = 640, 360
# For phones: drawn at the size it is shown, so its words stay readable.
NARROW_WIDTH, NARROW_HEIGHT = 360, 320
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#5b6770",
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    # Colours apart for the colour-blind (Okabe-Ito), dark enough on white.
    colors=("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"),
)
SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL)


@dataclass(frozen=True)
class Chart:
    key: str
    title: Promise
    draw: Callable[[Summary, str, bool], bytes]


def _labels(summary: Summary) -> list[str]:
    return [month_short(month.month) + ("*" if month.partial else "") for month in summary.every_month]


def render_svg(chart: pygal.graph.graph.Graph) -> bytes:
    return SCRIPT.sub(b"", chart.render())


# A phone's chart names at most this many months along its axis (the others still have their
# bars and points, and their numbers are in the table under the chart).
NARROW_LABELS = 7


def chart_options(title: str, narrow: bool, labels: int = 0) -> dict[str, object]:
    """pygal's options for a chart of ``labels`` points along its axis."""
    every = math.ceil(labels / NARROW_LABELS) if narrow else 1
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "width": NARROW_WIDTH if narrow else WIDTH,
        "height": NARROW_HEIGHT if narrow else HEIGHT,
        "explicit_size": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1 if narrow else 2,
        "x_label_rotation": 45,
        "print_values": False,
        "show_minor_x_labels": every <= 1,
        "x_labels_major_every": max(every, 1),
        "truncate_label": -1,
        "no_data_text": str(_("No figures to show")),
    }


def volumes(summary: Summary, title: str, narrow: bool = False) -> bytes:
    chart = pygal.Bar(**chart_options(title, narrow, len(summary.every_month)), show_legend=False)
    chart.x_labels = _labels(summary)
    chart.add(str(_("Applications submitted")), [m.counts["submitted"] for m in summary.every_month])
    return render_svg(chart)


def outcomes(summary: Summary, title: str, narrow: bool = False) -> bytes:
    chart = pygal.StackedBar(**chart_options(title, narrow, len(summary.every_month)))
    chart.x_labels = _labels(summary)
    for measure, label in OUTCOME_LABELS:
        chart.add(str(label), [m.counts[measure] for m in summary.every_month])
    return render_svg(chart)


def times(summary: Summary, title: str, narrow: bool = False) -> bytes:
    chart = pygal.Line(**chart_options(title, narrow, len(summary.every_month)), dots_size=3)
    chart.x_labels = _labels(summary)
    for share, label in ((50, _("Half of the cases within")), (80, _("80% within")), (95, _("95% within"))):
        chart.add(
            str(label),
            [getattr(m.decision_days, f"p{share}") if m.decision_days else None for m in summary.every_month],
        )
    if summary.standard_days is not None:
        chart.add(
            str(_("Service standard")),
            [summary.standard_days] * len(summary.every_month),
            show_dots=False,
            stroke_style={"dasharray": "6, 4", "width": 2},
        )
    return render_svg(chart)


OUTCOME_LABELS = (
    ("approved", _("Approved")),
    ("rejected", _("Refused")),
    ("withdrawn", _("Withdrawn")),
    ("expired", _("Expired unpaid")),
)
CHARTS = {
    "permohonan": Chart("permohonan", _("Applications submitted per month"), volumes),
    "hasil": Chart("hasil", _("Outcomes per month"), outcomes),
    "waktu": Chart("waktu", _("Working days from payment to decision"), times),
}
