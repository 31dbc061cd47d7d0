"""The dashboards' figures: each office's numbers of a period, every number with the address of
the list behind it (the list a viewer may open; none when they may not), read through the
selectors of the apps that own the data. Every figure is one grouped query over all the offices
asked for, so the national view costs the same number of queries as one office's page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from gerbang.analytics.dashboards.periods import Span
from gerbang.applications import selectors as cases
from gerbang.applications.workflow import OPEN_STATES, State
from gerbang.appointments import selectors as appointments
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import office_zones
from gerbang.core.formatting import number
from gerbang.core.permissions import Perm, has_permission
from gerbang.feedback import report_selectors as reports
from gerbang.feedback.forms import NATIONAL
from gerbang.ikm import selectors as ikm
from gerbang.ikm.models import Result
from gerbang.queueing import selectors as queue
from gerbang.queueing.selectors import Waits

# The open states in the order a case goes through them.
BACKLOG_STATES = [state for state in State if state in OPEN_STATES]


@dataclass(frozen=True)
class Number:
    """A figure and the address of the list it counts ("" when the viewer may not open one)."""

    value: int
    url: str = ""


@dataclass(frozen=True)
class Stage:
    state: str
    label: str
    number: Number


@dataclass(frozen=True)
class Officer:
    name: str
    number: Number


@dataclass
class Figures:
    """One office's figures (``office`` None: the offices together)."""

    office: Office | None
    span: Span
    backlog: list[Stage] = field(default_factory=list)
    open: Number = Number(0)
    overdue: Number = Number(0)
    decided: Number = Number(0)
    late: Number = Number(0)
    officers: list[Officer] = field(default_factory=list)
    waits: Waits = field(default_factory=Waits)
    waits_url: str = ""
    visits_due: int = 0
    missed: Number = Number(0)
    complaints_open: Number = Number(0)
    complaints_overdue: Number = Number(0)
    ikm: Result | None = None
    ikm_url: str = ""

    @property
    def within_standard(self) -> float | None:
        """The share of the period's decisions taken by their due date."""
        if not self.decided.value:
            return None
        return (self.decided.value - self.late.value) / self.decided.value

    @property
    def ikm_value(self) -> str:
        return number(self.ikm.ikm, 2) if self.ikm is not None else ""


def _address(name: str, params: Mapping[str, Any], *, args: tuple[Any, ...] = (), anchor: str = "") -> str:
    query = urlencode({key: value for key, value in params.items() if value not in ("", None)})
    return reverse(f"backoffice:{name}", args=args) + (f"?{query}" if query else "") + anchor


class _Links:
    """The addresses of the lists behind the numbers, for one viewer: empty where the viewer may
    not open the list."""

    def __init__(self, user: Any, span: Span) -> None:
        self.user = user
        self.span = span
        self.days = {"decided_from": span.first.isoformat(), "decided_to": span.last.isoformat()}

    def _may(self, perm: Perm, office: Office | None) -> bool:
        return has_permission(self.user, perm, office_id=office.pk if office is not None else None)

    def cases(self, office: Office | None, **params: Any) -> str:
        if not self._may(Perm.CASE_VIEW, office):
            return ""
        return _address("case_queue", {"office": office.pk if office is not None else "", **params})

    def decided(self, office: Office | None, **params: Any) -> str:
        return self.cases(office, state="all", **self.days, **params)

    def waits(self, office: Office) -> str:
        if not self._may(Perm.QUEUE_REPORT, office):
            return ""
        span = self.span
        return _address(
            "queue_report",
            {"from": span.first.isoformat(), "until": span.last.isoformat()},
            args=(office.code,),
        )

    def missed(self, office: Office | None) -> str:
        if not self._may(Perm.CASE_VIEW, office):
            return ""
        return _address(
            "missed_appointments",
            {
                "office": office.code if office is not None else "",
                "first": self.span.first.isoformat(),
                "last": self.span.last.isoformat(),
            },
        )

    def complaints(self, office: Office | None, *, national_unit: bool = False, **params: Any) -> str:
        if not (self._may(Perm.REPORT_VIEW, office) or has_permission(self.user, Perm.REPORT_NATIONAL)):
            return ""
        code = NATIONAL if national_unit else office.code if office is not None else ""
        return _address("reports", {"office": code, "kind": "complaint", **params})

    def ikm(self, office: Office | None) -> str:
        if office is None:
            return reverse("ikm:national")
        if not self._may(Perm.IKM_VIEW, office):
            return ""
        return _address("ikm", {"kind": "quarter"}, anchor=f"#office-{office.code}")


def for_offices(
    user: Any, offices: list[Office], span: Span, *, officers: bool = False, now: datetime | None = None
) -> list[Figures]:
    """The figures of each of ``offices`` over ``span`` (its days counted where each office is),
    as ``user`` may see them; with ``officers``, the decisions of each member of staff too (one
    query per office: for one office's page)."""
    now = now or timezone.now()
    ids = [office.pk for office in offices]
    zones = office_zones()
    links = _Links(user, span)
    case_figures = cases.office_case_figures(
        user, ids, first=span.first, last=span.last, zones=zones, now=now
    )
    waits = queue.waits(ids, span.first, span.last)
    missed = appointments.missed_counts(user, ids, first=span.first, last=span.last, now=now)
    complaints = reports.complaint_counts(user, ids, zones=zones, now=now)
    satisfaction = ikm.latest_of_offices(ids)
    shown = []
    for office in offices:
        counted = case_figures[office.pk]
        figures = Figures(office=office, span=span)
        figures.backlog = [
            Stage(
                state.value,
                str(state.label),
                Number(counted.by_state.get(state, 0), links.cases(office, state=state.value)),
            )
            for state in BACKLOG_STATES
        ]
        figures.open = Number(counted.open, links.cases(office, state="open"))
        figures.overdue = Number(counted.overdue, links.cases(office, state="open", due="overdue"))
        figures.decided = Number(counted.decided, links.decided(office))
        figures.late = Number(counted.late, links.decided(office, late="on"))
        if officers:
            figures.officers = [
                Officer(
                    each.name,
                    Number(
                        each.cases, links.decided(office, decided_by=each.actor_id) if each.actor_id else ""
                    ),
                )
                for each in cases.decisions_per_officer(user, office, first=span.first, last=span.last)
            ]
        figures.waits = waits.get(office.pk, Waits())
        figures.waits_url = links.waits(office)
        visits = missed.get(office.pk, appointments.MissedCount())
        figures.visits_due = visits.due
        figures.missed = Number(visits.missed, links.missed(office))
        owed = complaints.get(office.pk, reports.ComplaintCounts())
        figures.complaints_open = Number(owed.open, links.complaints(office))
        figures.complaints_overdue = Number(owed.overdue, links.complaints(office, overdue="on"))
        figures.ikm = satisfaction.get(office.pk)
        figures.ikm_url = links.ikm(office) if figures.ikm is not None else ""
        shown.append(figures)
    return shown


@dataclass
class National:
    """The offices side by side, their total, and the complaints of the national unit."""

    offices: list[Figures]
    total: Figures
    unit_open: Number
    unit_overdue: Number


def national(user: Any, offices: list[Office], span: Span, *, now: datetime | None = None) -> National:
    """Every office's figures and the national total: the sums, the waits of every visitor, the
    national satisfaction index, and the complaints of the offices and the national unit."""
    now = now or timezone.now()
    rows = for_offices(user, offices, span, now=now)
    links = _Links(user, span)
    unit = reports.complaint_counts(user, [], national=True, zones=office_zones(), now=now).get(
        None, reports.ComplaintCounts()
    )
    total = Figures(office=None, span=span)
    total.backlog = [
        Stage(
            stage.state,
            stage.label,
            Number(
                sum(row.backlog[index].number.value for row in rows), links.cases(None, state=stage.state)
            ),
        )
        for index, stage in enumerate(rows[0].backlog if rows else [])
    ]

    def summed(name: str) -> int:
        return sum(getattr(row, name).value for row in rows)

    total.open = Number(summed("open"), links.cases(None, state="open"))
    total.overdue = Number(summed("overdue"), links.cases(None, state="open", due="overdue"))
    total.decided = Number(summed("decided"), links.decided(None))
    total.late = Number(summed("late"), links.decided(None, late="on"))
    for row in rows:
        total.waits.add(row.waits)
    total.visits_due = sum(row.visits_due for row in rows)
    total.missed = Number(summed("missed"), links.missed(None))
    total.complaints_open = Number(summed("complaints_open") + unit.open, links.complaints(None))
    total.complaints_overdue = Number(
        summed("complaints_overdue") + unit.overdue, links.complaints(None, overdue="on")
    )
    total.ikm = ikm.national_latest()
    total.ikm_url = links.ikm(None) if total.ikm is not None else ""
    return National(
        offices=rows,
        total=total,
        unit_open=Number(unit.open, links.complaints(None, national_unit=True)),
        unit_overdue=Number(unit.overdue, links.complaints(None, national_unit=True, overdue="on")),
    )
