"""The back office's reads: the cases a staff member may see, the work queue, the office's
counts and numbers, and the actions open to them on a case."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone

from gerbang.accounts.models import Role, User
from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.applications import numbers
from gerbang.applications.models import Application
from gerbang.applications.selectors import conditions
from gerbang.applications.selectors.case import actor_of
from gerbang.applications.selectors.timeline import SUBJECT_TYPE
from gerbang.applications.workflow import OPEN_AT_OFFICE, OPEN_STATES, Action, State, actions_from
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import office_zones
from gerbang.core.models import Event

# A case is "near due" when its decision is due within this many calendar days.
NEAR_DUE_DAYS = 2


def cases_visible_to(user: Any) -> QuerySet[Application]:
    if not has_permission(user, Perm.CASE_VIEW):
        return Application.objects.none()
    return scope_to_offices(Application.objects.exclude(state=State.DRAFT), user).select_related(
        "office", "service", "assigned_to"
    )


def case_for_staff(user: Any, pk: int) -> Application | None:
    return cases_visible_to(user).filter(pk=pk).first()


# Cases without a due date yet (not paid) come after those with one, whichever the direction.
SORTS: dict[str, tuple[OrderBy | str, ...]] = {
    "due": (F("due_date").asc(nulls_last=True), "submitted_at"),
    "-due": (F("due_date").desc(nulls_last=True), "-submitted_at"),
    "submitted": ("submitted_at",),
    "-submitted": ("-submitted_at",),
    "state": ("state", F("due_date").asc(nulls_last=True)),
}


def work_queue(
    user: Any,
    *,
    office_id: int | None = None,
    service_id: int | None = None,
    state: str = "",
    assigned: str = "",
    due: str = "",
    sort: str = "due",
    number: str = "",
    today: date | None = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
    decided_by: int | None = None,
    late: bool = False,
) -> QuerySet[Application]:
    """The cases of the user's offices, filtered; ``assigned`` is "me", "none" or a user id;
    ``due`` is "overdue" (past the due date where the office is) or "soon". The decision filters
    list what the supervisors' dashboards count (``conditions``): decided on the days
    ``decided_from`` to ``decided_to`` where the office is (the standing decision; with
    ``decided_by``, the cases that person decided then), and ``late``: decided after the due date."""
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if number.strip():
        # An officer at the counter types the number the applicant shows: exact match only.
        return cases.filter(number=numbers.normalize(number) or number.strip().upper())
    if any(value is not None and value > conditions.ID_MAX for value in (office_id, service_id)):
        return cases.none()  # an id typed into the address that no row can have
    if office_id:
        cases = cases.filter(office_id=office_id)
    if service_id:
        cases = cases.filter(service_id=service_id)
    if state in State.values:
        cases = cases.filter(state=state)
    elif state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    if assigned == "me":
        cases = cases.filter(assigned_to=user)
    elif assigned == "none":
        cases = cases.filter(assigned_to__isnull=True)
    elif assigned.isdigit():
        cases = (
            cases.filter(assigned_to_id=int(assigned)) if int(assigned) <= conditions.ID_MAX else cases.none()
        )
    if due == "overdue":
        cases = cases.filter(conditions.overdue(zones=office_zones()))
    elif due == "soon":
        cases = cases.filter(
            state__in=OPEN_AT_OFFICE, due_date__gte=today, due_date__lte=today + timedelta(days=NEAR_DUE_DAYS)
        )
    if decided_by is not None:
        offices = scope_to_offices(Office.objects.all(), user, office_field="pk")
        events = conditions.decision_events(decided_from, decided_to, offices=offices)
        cases = cases.filter(conditions.decided_by(events, decided_by))
    elif decided_from is not None or decided_to is not None:
        cases = cases.filter(conditions.decided_on(decided_from, decided_to, zones=office_zones()))
    if late:
        cases = conditions.with_decided_day(cases, zones=office_zones()).filter(conditions.DECIDED_LATE)
    return cases.order_by(*SORTS.get(sort, SORTS["due"]), "id")


def due_status(application: Application, today: date) -> str:
    """ "overdue", "soon" or "" for the queue's highlighting."""
    if application.state not in OPEN_AT_OFFICE or application.due_date is None:
        return ""
    if application.due_date < today:
        return "overdue"
    if application.due_date <= today + timedelta(days=NEAR_DUE_DAYS):
        return "soon"
    return ""


def assignable_staff(application: Application) -> list[Any]:
    return list(
        User.objects.filter(
            is_active=True,
            role__in=[Role.OFFICER, Role.SUPERVISOR],
            office_memberships__office_id=application.office_id,
        ).order_by("full_name")
    )


def deciders(user: Any, *, including: int | None = None) -> list[tuple[int, str]]:
    """Who may decide the cases of ``user``'s offices (officers and supervisors, by name), for
    the queue's "decided by" filter; and ``including`` when that person decided any of them
    (someone who has since moved on)."""
    offices = scope_to_offices(Office.objects.all(), user, office_field="pk")
    people = Q(role__in=[Role.OFFICER, Role.SUPERVISOR], office_memberships__office__in=offices)
    if including is not None and 0 < including <= conditions.ID_MAX:
        decided = conditions.decision_events(None, None, offices=offices).filter(actor_id=including)
        people |= Q(pk=including, pk__in=decided.values("actor_id"))
    return list(
        User.objects.filter(people).distinct().order_by("full_name", "pk").values_list("pk", "full_name")
    )


@dataclass
class CaseCounts:
    open_cases: int
    overdue: int


def case_counts(user: Any, *, office_id: int | None = None, today: date | None = None) -> CaseCounts:
    """Open cases (``OPEN_STATES``, as the work queue's "open" filter) and how many are past
    their due date."""
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if office_id:
        cases = cases.filter(office_id=office_id)
    return CaseCounts(
        open_cases=cases.filter(state__in=OPEN_STATES).count(),
        overdue=cases.filter(conditions.overdue(zones=office_zones())).count(),
    )


@dataclass
class OfficeNumbers:
    by_state: list[tuple[str, int]]
    overdue: int
    open_cases: int
    median_hours_by_state: list[tuple[str, float, int]]


def office_numbers(user: Any, *, office_id: int | None = None, today: date | None = None) -> OfficeNumbers:
    """Cases by state, overdue count and the median time spent in each stage (in hours)."""
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if office_id:
        cases = cases.filter(office_id=office_id)
    counts = dict(cases.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    by_state = [(str(s.label), counts.get(s.value, 0)) for s in State if s != State.DRAFT]
    counts_now = case_counts(user, office_id=office_id, today=today)
    overdue, open_cases = counts_now.overdue, counts_now.open_cases
    ids = [str(pk) for pk in cases.values_list("pk", flat=True)[:5000]]
    durations: dict[str, list[float]] = defaultdict(list)
    moves = (
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id__in=ids)
        .filter(Q(details__has_key="to"))
        .order_by("subject_id", "created_at", "id")
        .values_list("subject_id", "created_at", "details")
    )
    last: dict[str, tuple[str, datetime]] = {}
    for subject_id, at, details in moves:
        previous = last.get(subject_id)
        if previous is not None and previous[0] != details["to"]:
            durations[previous[0]].append((at - previous[1]).total_seconds() / 3600)
        last[subject_id] = (details["to"], at)
    medians = [
        (str(State(state).label), round(statistics.median(values), 1), len(values))
        for state, values in durations.items()
        if state in State.values and state != State.DRAFT
    ]
    return OfficeNumbers(
        by_state=by_state, overdue=overdue, open_cases=open_cases, median_hours_by_state=medians
    )


def staff_actions(application: Application, user: Any) -> list[Action]:
    """The table's actions this staff member could take now (guards are checked on submit)."""
    actor = actor_of(application, user)
    if actor is None:
        return []
    internal = {Action.ISSUE_BILL, Action.EXPIRE, Action.RECORD_PAYMENT, Action.REQUEST_CORRECTION}
    return [
        t.action for t in actions_from(application.state) if actor in t.actors and t.action not in internal
    ]
