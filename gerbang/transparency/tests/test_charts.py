"""The charts' drawing: what a phone's chart names along its axis."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from gerbang.core.formatting import month_short
from gerbang.transparency import charts, selectors
from gerbang.transparency.selectors import Summary, _figures


def _summary(count: int) -> Summary:
    months = selectors.months_back(count, date(2026, 12, 6))
    figures = [_figures(m, [("submitted", 0, 10 + n, False)], partial=False) for n, m in enumerate(months)]
    current = _figures(date(2026, 12, 1), [("submitted", 0, 3, False)], partial=True)
    return Summary(0, 0, figures, figures[0], current, None)


def _named(svg: bytes, summary: Summary) -> int:
    text = svg.decode()
    return sum(
        f">{month_short(m.month)}{'*' if m.partial else ''}</text>" in text for m in summary.every_month
    )


@pytest.mark.parametrize("count", [6, 12, 24])
@pytest.mark.parametrize("chart", list(charts.CHARTS.values()), ids=lambda chart: chart.key)
def test_a_phones_chart_names_few_enough_months_to_read_and_the_wide_one_all(
    chart: charts.Chart, count: int
) -> None:
    summary = _summary(count)
    with translation.override("en"):
        narrow = chart.draw(summary, "t", True)
        wide = chart.draw(summary, "t", False)
        assert 2 <= _named(narrow, summary) <= charts.NARROW_LABELS
        assert _named(wide, summary) == count + 1
