"""``suppression.suppressed_cells``: small counts withheld, and never one alone in a row or column
(so it cannot be found by subtracting the others from the total)."""

from __future__ import annotations

from typing import Any

import numpy
from hypothesis import given, settings
from hypothesis import strategies as st

from gerbang.transparency.models import ALL
from gerbang.transparency.suppression import Cell, forced_by_months, period_suppressed_cells, suppressed_cells

K = 10


def table(inner: dict[Cell, int]) -> dict[Cell, int]:
    """The inner counts with every total: per office, per service and national."""
    counts = dict(inner)
    for (office, service), count in inner.items():
        counts[(office, ALL)] = counts.get((office, ALL), 0) + count
        counts[(ALL, service)] = counts.get((ALL, service), 0) + count
        counts[(ALL, ALL)] = counts.get((ALL, ALL), 0) + count
    return counts


def lines(counts: dict[Cell, int]) -> list[list[Cell]]:
    offices = {office for office, _ in counts}
    services = {service for _, service in counts}
    return [[(o, s) for s in services if (o, s) in counts] for o in offices] + [
        [(o, s) for o in offices if (o, s) in counts] for s in services
    ]


def test_a_small_count_and_the_one_that_would_give_it_away_are_withheld() -> None:
    # Office 1: passports 40, visas 3 (small). Office 2: passports 25, visas 30.
    counts = table({(1, 1): 40, (1, 2): 3, (2, 1): 25, (2, 2): 30})
    withheld = suppressed_cells(counts, K)
    assert (1, 2) in withheld
    # Office 1's total minus its passports would give the visas: another of its counts goes,
    # and the national visas minus office 2's would too: another visa count goes.
    for line in lines(counts):
        assert sum(cell in withheld for cell in line) != 1
    # Nothing that could not be recovered is withheld without need: the national total stays.
    assert (ALL, ALL) not in withheld


def test_nothing_is_withheld_when_every_count_is_large_or_zero() -> None:
    counts = table({(1, 1): 40, (1, 2): 0, (2, 1): 25, (2, 2): 30})
    assert suppressed_cells(counts, K) == set()


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(1, 6), st.integers(1, 5)), st.integers(0, 60), min_size=1, max_size=30
    )
)
def test_no_withheld_count_can_be_found_by_subtracting_from_a_total(inner: dict[Cell, int]) -> None:
    counts = table(inner)
    withheld = suppressed_cells(counts, K)
    assert {cell for cell, count in counts.items() if 0 < count < K} <= withheld
    for line in lines(counts):
        assert sum(cell in withheld for cell in line) != 1, line
        # What subtracting from a shown total reveals is a group: 0 or at least K people.
        if total_of(line) not in withheld:
            hidden = sum(counts[cell] for cell in line if cell in withheld)
            assert hidden == 0 or hidden >= K, line
    # The attack itself, with every row and column at once: the withheld counts are the unknowns
    # of the equations "a row's or a column's counts add up to its total"; none of them may be
    # fixed by those equations (its unit vector outside the equations' row space).
    unknowns = sorted(withheld)
    if not unknowns:
        return
    at = {cell: n for n, cell in enumerate(unknowns)}
    equations = []
    for line in lines(counts):
        row = [0.0] * len(unknowns)
        for cell in line:
            if cell in at:
                row[at[cell]] = -1.0 if ALL in cell and cell == total_of(line) else 1.0
        if any(row):
            equations.append(row)
    matrix = numpy.array(equations) if equations else numpy.zeros((0, len(unknowns)))
    rank = numpy.linalg.matrix_rank(matrix) if len(matrix) else 0
    for cell, n in at.items():
        unit = numpy.zeros((1, len(unknowns)))
        unit[0, n] = 1.0
        assert numpy.linalg.matrix_rank(numpy.vstack([matrix, unit])) > rank, f"{cell} can be recovered"


def total_of(line: list[Cell]) -> Cell:
    """The total of a row (office, ALL) or a column (ALL, service): the cell of the line whose
    other coordinate is ALL and that sums the others."""
    offices = {office for office, _ in line}
    services = {service for _, service in line}
    if len(offices) == 1:
        return (next(iter(offices)), ALL)
    return (ALL, next(iter(services)))


def test_a_period_with_one_withheld_month_withholds_that_count() -> None:
    # Office 1's visas: 3 in one month (withheld), 40 in the other: the period's 43 minus the
    # shown 40 would give the 3.
    months = [{(1, 2): (3, True), (1, 1): (50, False)}, {(1, 2): (40, False), (1, 1): (20, True)}]
    assert forced_by_months(months, K) == {(1, 2), (1, 1)}
    # Two withheld months of 6 and 7 together are a group of 13: the period may show.
    assert forced_by_months([{(1, 2): (6, True)}, {(1, 2): (7, True)}], K) == set()
    assert forced_by_months([{(1, 2): (3, True)}, {(1, 2): (4, True)}], K) == {(1, 2)}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.tuples(st.integers(1, 4), st.integers(1, 3)), st.integers(0, 40), min_size=1, max_size=12
        ),
        min_size=2,
        max_size=4,
    )
)
def test_no_withheld_month_can_be_found_from_the_period_and_the_months(inner: list[dict[Cell, int]]) -> None:
    """The attack across time: the months' tables, the period's table and "a period's count is
    its months' counts added up", all at once; no withheld count of a month (or of the period)
    is fixed by them."""
    months = [table(month) for month in inner]
    cells = sorted(set().union(*months))
    months = [{cell: month.get(cell, 0) for cell in cells} for month in months]
    withheld = [suppressed_cells(month, K) for month in months]
    period = {cell: sum(month[cell] for month in months) for cell in cells}
    period_withheld = period_suppressed_cells(months, withheld, K)
    forced = forced_by_months(
        [
            {cell: (month[cell], cell in hide) for cell in cells}
            for month, hide in zip(months, withheld, strict=True)
        ],
        K,
    )
    sensitive = {cell for cell, count in period.items() if 0 < count < K} | forced
    # Every shown period count that hides months hides a group: several, K people or more.
    for cell in cells:
        hidden = [
            month[cell] for month, hide in zip(months, withheld, strict=True) if cell in hide and month[cell]
        ]
        if cell not in period_withheld and hidden:
            assert len(hidden) > 1 and sum(hidden) >= K, cell
    unknowns: list[tuple[object, Cell]] = [
        (n, cell) for n, hide in enumerate(withheld) for cell in sorted(hide)
    ]
    unknowns += [("period", cell) for cell in sorted(period_withheld)]
    if not unknowns:
        return
    at = {unknown: n for n, unknown in enumerate(unknowns)}
    equations = []
    tables: list[tuple[object, dict[Cell, int]]] = [*enumerate(months), ("period", period)]
    for key, counts in tables:
        for line in lines(counts):
            row = [0.0] * len(unknowns)
            for cell in line:
                if (key, cell) in at:
                    row[at[(key, cell)]] = -1.0 if cell == total_of(line) else 1.0
            if any(row):
                equations.append(row)
    for cell in cells:
        row = [0.0] * len(unknowns)
        if ("period", cell) in at:
            row[at[("period", cell)]] = 1.0
        for n in range(len(months)):
            if (n, cell) in at:
                row[at[(n, cell)]] = -1.0
        if any(row):
            equations.append(row)
    matrix = numpy.array(equations) if equations else numpy.zeros((0, len(unknowns)))
    rank = numpy.linalg.matrix_rank(matrix) if len(matrix) else 0
    for unknown, n in at.items():
        if unknown[0] == "period" and unknown[1] not in sensitive:
            continue  # withheld only beside a small one: finding it gives nothing away
        unit = numpy.zeros((1, len(unknowns)))
        unit[0, n] = 1.0
        assert numpy.linalg.matrix_rank(numpy.vstack([matrix, unit])) > rank, f"{unknown} can be recovered"


def test_too_many_withheld_months_to_solve_show_only_periods_of_shown_months(monkeypatch: Any) -> None:
    from gerbang.transparency import suppression

    monkeypatch.setattr(suppression, "AUDIT_LIMIT", 0)
    months = [table({(1, 1): 3, (1, 2): 40, (2, 1): 30}), table({(1, 1): 8, (1, 2): 45, (2, 1): 35})]
    cells = sorted(set().union(*months))
    months = [{cell: month.get(cell, 0) for cell in cells} for month in months]
    withheld = [suppressed_cells(month, K) for month in months]
    assert (1, 1) in withheld[0] and (1, 1) in withheld[1]  # 3 and 8: 11 together
    shown = set(cells) - period_suppressed_cells(months, withheld, K)
    assert shown and not shown & set().union(*withheld)
