"""Counting years for retention periods."""

from __future__ import annotations

from datetime import UTC, date, datetime

from gerbang.core.calendar import years_later


def test_years_later_keeps_the_day_and_the_time() -> None:
    assert years_later(date(2024, 3, 1), 10) == date(2034, 3, 1)
    moment = datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert years_later(moment, 2) == datetime(2022, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert years_later(moment, -2) == datetime(2018, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_the_29th_of_february_becomes_the_28th_in_a_common_year() -> None:
    assert years_later(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert years_later(date(2024, 2, 29), 4) == date(2028, 2, 29)
