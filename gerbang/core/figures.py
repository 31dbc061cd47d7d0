"""The counts the public statistics are built from, as every app gives them.

An app that does something the statistics publish (cases decided, visits booked, visitors
served, bills paid, complaints resolved) has a selector ``day_figures(office, day)`` that
counts, from its own tables, what happened at one office on one calendar day there, as a list
of ``Figure``: per service (``ANY_SERVICE`` when the thing is not tied to one service), a
measure, a bucket (a number of days, minutes or hours for a duration, 0/1 for a yes/no, 0
otherwise) and a count. The statistics app adds them up; the apps know nothing of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

# Not tied to one service (a complaint about an office, a walk-in without a case): counted in
# the office's figures for all services only.
ANY_SERVICE = 0


@dataclass(frozen=True)
class Figure:
    service_id: int
    measure: str
    bucket: int
    count: int


def figures(counts: Counter[tuple[int, str, int]]) -> list[Figure]:
    """``Figure`` rows from a counter keyed by (service id, measure, bucket), in a stable order."""
    return [
        Figure(service, measure, bucket, count)
        for (service, measure, bucket), count in sorted(counts.items())
    ]
