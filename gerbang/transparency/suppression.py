"""Which counts to withhold so that nobody in a small group can be singled out.

A count of one month and one measure sits in a table of offices by services, with the totals
of every office (service ALL), of every service (office ALL) and the national total (both ALL):
each office's counts add up to its total, each service's to its national count.

- A count below ``k`` (but not 0) is withheld (primary suppression).
- Subtracting the shown counts of a row or a column from its total gives the sum of the withheld
  ones there. So in every row and column the withheld counts are never one alone, and together
  they are 0 or at least ``k`` people; otherwise the smallest other count there is withheld too
  (complementary suppression).
- Rows and columns can also be combined (the national total minus a service's national count,
  minus...). The withheld counts are the unknowns of all those equations at once; any one of them
  the equations fix is found (a vector of the null space's basis is 0 there) and another count
  beside it is withheld, until none is fixed.

Every page, file and API answer reads the same decisions (``MonthlyFigure.suppressed``), so no
two of them can be combined to undo one.

Periods (several months added up, ``PeriodFigure``) are tables of their own, withheld by the same
rules, with one more: a period's count minus its shown months gives the sum of its withheld
months, so a period's count is withheld (``forced``) when exactly one of its months is withheld,
or when the withheld ones hold fewer than ``k`` people together (``forced_by_months``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy

from gerbang.transparency.models import ALL

logger = logging.getLogger(__name__)
Cell = tuple[int, int]  # (office id, service id); ALL is the total over that dimension
EPSILON = 1e-9
# At most this many withheld counts tied together by the sums (a group: ``_groups``) are solved
# together for a period (a group's dense solution grows with the cube of its size); past it, a
# period shows only counts whose months all show.
AUDIT_LIMIT = 1000


def _lines(counts: Mapping[Cell, int]) -> list[tuple[list[Cell], Cell]]:
    """Every row and column with its total: (its cells, the total among them)."""
    offices = {office for office, _service in counts}
    services = {service for _office, service in counts}
    rows = [([(o, s) for s in services if (o, s) in counts], (o, ALL)) for o in offices]
    columns = [([(o, s) for o in offices if (o, s) in counts], (ALL, s)) for s in services]
    return [(cells, total) for cells, total in rows + columns if total in counts and len(cells) > 1]


def _companion(
    cells: list[Cell], total: Cell, counts: Mapping[Cell, int], withheld: set[Cell]
) -> Cell | None:
    """The smallest shown count of a line, not its total unless nothing else is left."""
    shown = [cell for cell in cells if cell not in withheld and counts[cell] > 0]
    inner = [cell for cell in shown if cell != total] or shown
    return min(inner, key=lambda cell: (counts[cell], cell)) if inner else None


Equation = dict[int, float]  # an unknown's position: its coefficient (the others are 0)


class _TooLarge(Exception):
    """A group of withheld counts tied together by the sums is larger than ``AUDIT_LIMIT``."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _groups(size: int, equations: list[Equation]) -> list[tuple[list[int], list[Equation]]]:
    """The unknowns in groups that no equation joins to another (each with its equations):
    what the sums fix of one group depends on its equations alone."""
    parent = list(range(size))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for equation in equations:
        first, *others = equation
        for other in others:
            a, b = root(first), root(other)
            if a != b:
                parent[a] = b
    members: dict[int, list[int]] = {}
    for n in range(size):
        members.setdefault(root(n), []).append(n)
    ties: dict[int, list[Equation]] = {}
    for equation in equations:
        ties.setdefault(root(next(iter(equation))), []).append(equation)
    return [(members[top], ties[top]) for top in members if top in ties]


def _determined(unknowns: list[Any], equations: list[Equation], limit: int | None = None) -> list[Any]:
    """The unknowns that the equations (sparse rows of coefficients over ``unknowns``) fix:
    those whose unit vector lies in the equations' row space (its projection there has length
    1). Solved group by group (``_groups``), each with a thin SVD of (its equations x its
    unknowns); a group larger than ``limit`` raises ``_TooLarge``."""
    fixed: list[int] = []
    for members, rows in _groups(len(unknowns), [e for e in equations if e]):
        if limit is not None and len(members) > limit:
            raise _TooLarge(len(members))
        position = {unknown: n for n, unknown in enumerate(members)}
        matrix = numpy.zeros((len(rows), len(members)))
        for r, equation in enumerate(rows):
            for unknown, coefficient in equation.items():
                matrix[r, position[unknown]] = coefficient
        _u, singular, vt = numpy.linalg.svd(matrix, full_matrices=False)
        rank = int((singular > EPSILON * max(1.0, float(singular.max(initial=0.0)))).sum())
        reach = (vt[:rank] ** 2).sum(axis=0)  # each unit vector's squared length in the row space
        fixed += [members[n] for n in range(len(members)) if reach[n] > 1 - 1e-7]
    return [unknowns[n] for n in sorted(fixed)]


def _line_equations(
    key: Any, lines: list[tuple[list[Cell], Cell]], at: Mapping[tuple[Any, Cell], int]
) -> list[Equation]:
    """ "A line's counts add up to its total", over the unknowns ``at`` of the table ``key``."""
    equations = []
    for cells, total in lines:
        row = {at[(key, cell)]: -1.0 if cell == total else 1.0 for cell in cells if (key, cell) in at}
        if row:
            equations.append(row)
    return equations


def _fixed(
    counts: Mapping[Cell, int], withheld: set[Cell], lines: list[tuple[list[Cell], Cell]]
) -> list[Cell]:
    """The withheld cells that the rows' and columns' sums determine."""
    unknowns = sorted(withheld)
    at = {(None, cell): n for n, cell in enumerate(unknowns)}
    return _determined(unknowns, _line_equations(None, lines, at))


def forced_by_months(months: Iterable[Mapping[Cell, tuple[int, bool]]], k: int) -> set[Cell]:
    """The cells of a period's table that would give away a withheld month: the months' tables
    are {cell: (count, withheld)}; a cell is forced when exactly one of its months is withheld,
    or several holding fewer than ``k`` people together."""
    hidden: dict[Cell, list[int]] = {}
    for table in months:
        for cell, (count, withheld) in table.items():
            if withheld:
                hidden.setdefault(cell, []).append(count)
    return {cell for cell, counts in hidden.items() if len(counts) == 1 or sum(counts) < k}


def suppressed_cells(counts: Mapping[Cell, int], k: int, forced: Iterable[Cell] = ()) -> set[Cell]:
    """The cells of one table of one measure (a month's, or a period's) to withhold (see the
    module's text); ``forced`` ones are withheld whatever their count."""
    withheld = {cell for cell, count in counts.items() if 0 < count < k}
    withheld |= {cell for cell in forced if counts.get(cell, 0) > 0}
    lines = _lines(counts)
    while True:
        added = False
        for cells, total in lines:
            hidden = [cell for cell in cells if cell in withheld]
            revealed = total not in withheld and sum(counts[cell] for cell in hidden) < k
            if hidden and (len(hidden) == 1 or revealed):
                companion = _companion(cells, total, counts, withheld)
                if companion is not None:
                    withheld.add(companion)
                    added = True
        if added:
            continue
        fixed = _fixed(counts, withheld, lines) if withheld else []
        if not fixed:
            return withheld
        # A count beside each fixed one goes too (one solution of the equations serves them
        # all); when a fixed one's row and column have nothing left to withhold, the smallest
        # shown count anywhere (the equations reach it some other way).
        more: set[Cell] = set()
        for cell in fixed:
            companions = [
                _companion(cells, total, counts, withheld | more) for cells, total in lines if cell in cells
            ]
            companion = next((c for c in companions if c is not None), None)
            if companion is None:
                companion = _companion(list(counts), (ALL, ALL), counts, withheld | more)
            if companion is not None:
                more.add(companion)
        if not more:
            return withheld  # everything that is not 0 is withheld already
        withheld |= more


def _fixed_across(
    months: Sequence[Mapping[Cell, int]],
    months_withheld: Sequence[set[Cell]],
    period: Mapping[Cell, int],
    withheld: set[Cell],
) -> list[tuple[Any, Cell]]:
    """The withheld counts (of a month: (its index, cell); of the period: ("period", cell)) that
    every month's rows and columns, the period's, and "a period's count is its months' added up"
    determine together (``_TooLarge`` past ``AUDIT_LIMIT`` counts tied together)."""
    unknowns: list[tuple[Any, Cell]] = [
        (n, cell) for n, hidden in enumerate(months_withheld) for cell in sorted(hidden)
    ]
    unknowns += [("period", cell) for cell in sorted(withheld)]
    at = {unknown: n for n, unknown in enumerate(unknowns)}
    equations: list[Equation] = []
    for n, month in enumerate(months):
        equations += _line_equations(n, _lines(month), at)
    equations += _line_equations("period", _lines(period), at)
    for cell in period:
        row: Equation = {at[(n, cell)]: -1.0 for n in range(len(months)) if (n, cell) in at}
        if ("period", cell) in at:
            row[at[("period", cell)]] = 1.0
        if row:
            equations.append(row)
    return _determined(unknowns, equations, AUDIT_LIMIT)


def period_suppressed_cells(
    months: Sequence[Mapping[Cell, int]], months_withheld: Sequence[set[Cell]], k: int
) -> set[Cell]:
    """The cells of a period's table (its months added up) to withhold: by the rules of one
    table, those that would give away a withheld month by subtraction (``forced_by_months``),
    and more until no withheld count of a month or of the period is determined by all the
    tables' sums together (the months' own decisions stay as they are: withholding every count
    of the period would leave the months as safe as they are alone, so this ends)."""
    period: dict[Cell, int] = {}
    for month in months:
        for cell, count in month.items():
            period[cell] = period.get(cell, 0) + count
    forced = forced_by_months(
        [
            {cell: (count, cell in hidden) for cell, count in month.items()}
            for month, hidden in zip(months, months_withheld, strict=True)
        ],
        k,
    )
    withheld = suppressed_cells(period, k, forced)
    if not any(months_withheld):
        return withheld
    try:
        return _period_audited(months, months_withheld, period, withheld, forced, k)
    except _TooLarge as large:
        # Too many withheld counts tied together to solve here: a period's count is then shown
        # only when none of its months is withheld (it is then the sum of shown counts: it
        # tells nothing new), and its table withheld by the rules of one table.
        logger.info(
            "statistics: %d withheld counts tied together (more than %d): the period shows only "
            "counts of months all shown",
            large.size,
            AUDIT_LIMIT,
        )
        hidden_anywhere = set().union(*months_withheld)
        return suppressed_cells(period, k, withheld | hidden_anywhere)


def _period_audited(
    months: Sequence[Mapping[Cell, int]],
    months_withheld: Sequence[set[Cell]],
    period: Mapping[Cell, int],
    withheld: set[Cell],
    forced: set[Cell],
    k: int,
) -> set[Cell]:
    """``period_suppressed_cells`` past the rules of one table: more counts of the period
    withheld until the sums of all the tables together fix none that must stay unknown."""
    # What must stay unknown: every withheld count of a month, and the period's small or forced
    # ones (a count withheld only beside them may be found: it is none of these).
    sensitive = {cell for cell, count in period.items() if 0 < count < k} | forced
    lines = _lines(period)
    while fixed := [
        (key, cell)
        for key, cell in _fixed_across(months, months_withheld, period, withheld)
        if key != "period" or cell in sensitive
    ]:
        more: set[Cell] = set()
        for _key, cell in fixed:
            taken = withheld | more
            companion: Cell | None = cell if cell not in taken and period.get(cell, 0) > 0 else None
            if companion is None:
                around = [_companion(cells, total, period, taken) for cells, total in lines if cell in cells]
                companion = next((c for c in around if c is not None), None)
            if companion is None:
                companion = _companion(list(period), (ALL, ALL), period, taken)
            if companion is not None:
                more.add(companion)
        if not more:
            return withheld  # every count of the period that is not 0 is withheld already
        withheld = suppressed_cells(period, k, withheld | more)
    return withheld
