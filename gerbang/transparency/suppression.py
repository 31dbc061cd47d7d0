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
two of them can be combined to undo one. Periods are sums of months: a period's figure is shown
only when none of its months is withheld.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy

from gerbang.transparency.models import ALL

Cell = tuple[int, int]  # (office id, service id); ALL is the total over that dimension
EPSILON = 1e-9


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


def _fixed(
    counts: Mapping[Cell, int], withheld: set[Cell], lines: list[tuple[list[Cell], Cell]]
) -> list[Cell]:
    """The withheld cells that the rows' and columns' sums determine."""
    unknowns = sorted(withheld)
    at = {cell: n for n, cell in enumerate(unknowns)}
    equations = []
    for cells, total in lines:
        row = numpy.zeros(len(unknowns))
        for cell in cells:
            if cell in at:
                row[at[cell]] = -1.0 if cell == total else 1.0
        if row.any():
            equations.append(row)
    if not equations:
        return []
    _u, singular, vt = numpy.linalg.svd(numpy.array(equations))
    rank = int((singular > EPSILON * max(1.0, float(singular.max(initial=0.0)))).sum())
    null = vt[rank:]  # the null space's basis, one vector per row
    if not len(null):
        return unknowns
    return [cell for cell, n in at.items() if numpy.all(numpy.abs(null[:, n]) < 1e-7)]


def suppressed_cells(counts: Mapping[Cell, int], k: int) -> set[Cell]:
    """The cells of one month's table of one measure to withhold (see the module's text)."""
    withheld = {cell for cell, count in counts.items() if 0 < count < k}
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
        # A count beside the first fixed one goes too; when its row and column have nothing left
        # to withhold, the smallest shown count anywhere (the equations reach it some other way).
        cell = fixed[0]
        companions = [_companion(cells, total, counts, withheld) for cells, total in lines if cell in cells]
        companion = next((c for c in companions if c is not None), None)
        if companion is None:
            companion = _companion(list(counts), (ALL, ALL), counts, withheld)
        if companion is None:
            return withheld  # everything that is not 0 is withheld already
        withheld.add(companion)
