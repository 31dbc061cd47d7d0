"""Marks: what an app adds to each entry of a list another app owns.

A panel fills a page's slot once; a mark goes under one entry of a list, such as a step of a
case's timeline. The owner of the list asks ``marks_of(kind, request, ids)`` with the ids of its
entries (event ids, for a timeline) and shows, under each entry, the marks returned for its id,
each rendered with ``{% panel %}`` as a panel is. Each app registers its markers in its
``panels.py`` (found on first use, as panels are), so the list's owner knows none of the apps
that mark it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from gerbang.core.panels import Shown, _discover

# The steps of a case's timeline (applications), by event id: on the applicant's case page and
# on the public tracking page.
TIMELINE_EVENTS = "timeline_events"

# Given the request and the entries' ids: for the ids it marks, the context of its template.
Mark = Callable[[HttpRequest, Sequence[int]], Mapping[int, Mapping[str, Any]]]


@dataclass(frozen=True)
class Marker:
    kind: str
    template: str
    mark: Mark
    order: int = 100


_MARKERS: dict[str, list[Marker]] = {}


def register(*markers: Marker) -> None:
    for marker in markers:
        registered_here = _MARKERS.setdefault(marker.kind, [])
        if marker not in registered_here:
            registered_here.append(marker)


def registered(kind: str) -> list[Marker]:
    _discover()
    return sorted(_MARKERS.get(kind, ()), key=lambda a: (a.order, a.template))


def marks_of(kind: str, request: HttpRequest, ids: Sequence[int]) -> dict[int, list[Shown]]:
    """Every mark of the entries ``ids`` of a list of ``kind``, by id (ids without any are
    left out), each list in a stable order."""
    result: dict[int, list[Shown]] = {}
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return result
    for marker in registered(kind):
        for entry_id, context in marker.mark(request, wanted).items():
            result.setdefault(entry_id, []).append(Shown(marker.template, context))
    return result
