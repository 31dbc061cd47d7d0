"""The case figures of the supervisors' dashboards (``analytics``), every office's in one grouped
query per figure, counted by the conditions the work queue filters by (``conditions``):

- the open cases by state (``OPEN_STATES``, as the queue's "open");
- overdue: owed a decision (``OPEN_AT_OFFICE``) after its due date, where the office is;
- decisions of a period: the standing decisions (``decided_at``) taken on the period's days where
  the office is, and of them the late ones (decided on a day after the due date: the service
  standard's breaches), as the public statistics count them;
- decisions per officer: the cases each member of staff approved or refused in the period (their
  decision events; a decision reversed later still counts for the one who took it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.applications.selectors import conditions
from gerbang.applications.selectors.backoffice import cases_visible_to
from gerbang.applications.workflow import OPEN_STATES
from gerbang.catalog.models import Office


@dataclass
class OfficeCases:
    """One office's case figures."""

    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    decided: int = 0
    late: int = 0

    @property
    def open(self) -> int:
        return sum(self.by_state.values())


def office_case_figures(
    user: Any,
    office_ids: list[int],
    *,
    first: date,
    last: date,
    zones: Iterable[str],
    now: datetime | None = None,
) -> dict[int, OfficeCases]:
    """Per office of ``office_ids`` (those ``user`` may see): the open cases by state and the
    overdue ones (now), and the decisions of the days ``first`` to ``last`` and the late ones.
    Two queries, whatever the number of offices."""
    zones = list(zones)
    figures = {office_id: OfficeCases() for office_id in office_ids}
    cases = cases_visible_to(user).filter(office_id__in=office_ids)
    open_rows = (
        cases.filter(state__in=OPEN_STATES)
        .values("office_id", "state")
        .annotate(count=Count("id"), overdue=Count("id", filter=conditions.overdue(zones=zones, now=now)))
        .order_by()
    )
    for row in open_rows:
        office = figures[row["office_id"]]
        office.by_state[row["state"]] = row["count"]
        office.overdue += row["overdue"]
    decided_rows = (
        conditions.with_decided_day(
            cases.filter(conditions.decided_on(first, last, zones=zones)), zones=zones
        )
        .values("office_id")
        .annotate(decided=Count("id"), late=Count("id", filter=conditions.DECIDED_LATE))
        .order_by()
    )
    for decided in decided_rows:
        figures[decided["office_id"]].decided = decided["decided"]
        figures[decided["office_id"]].late = decided["late"]
    return figures


@dataclass(frozen=True)
class OfficerDecisions:
    actor_id: int | None
    name: str
    cases: int


def decisions_per_officer(user: Any, office: Office, *, first: date, last: date) -> list[OfficerDecisions]:
    """The cases each member of staff decided at ``office`` on the days ``first`` to ``last``
    (most first; decisions the system recorded without a person come last, named ""). One
    query; nothing for whoever may not see the office's cases."""
    if not has_permission(user, Perm.CASE_VIEW, office_id=office.pk):
        return []
    rows = (
        conditions.decision_events(first, last, offices=[office])
        .values("actor_id", "actor__full_name")
        .annotate(cases=Count("subject_id", distinct=True))
        .order_by()
    )
    found = [OfficerDecisions(row["actor_id"], row["actor__full_name"] or "", row["cases"]) for row in rows]
    return sorted(found, key=lambda each: (each.actor_id is None, -each.cases, each.name))
