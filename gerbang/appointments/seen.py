"""The first free day as a person saw it, for the public statistics' appointment lead time
("how many days until the first free place", as people met it, not as a quiet hour shows it).

When the page or the API shows someone the days to choose from, the first open one is noted
for their case in the counters cache (no database write on the busy path; kept an hour); the
booking they then hold keeps it (``Booking.first_free_day``). A note lost to the cache leaves
the booking without one: it is then not counted, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.cache import caches

from gerbang.appointments.selectors import DayView

KEPT_SECONDS = 60 * 60


def _key(application_id: int) -> str:
    return f"appointments:first-free-seen:{application_id}"


def note(application_id: int, days: Iterable[DayView]) -> None:
    """Note the first open day among ``days`` (none open: nothing to note)."""
    first = next((view.day for view in days if view.is_open), None)
    if first is not None:
        caches["counters"].set(_key(application_id), first.isoformat(), KEPT_SECONDS)


def first_free_day(application_id: int) -> dt.date | None:
    """The first open day the case's applicant was last shown, if noted within the hour."""
    kept = caches["counters"].get(_key(application_id))
    try:
        return dt.date.fromisoformat(kept) if isinstance(kept, str) else None
    except ValueError:
        return None
