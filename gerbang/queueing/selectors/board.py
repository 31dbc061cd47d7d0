"""Reading the queue: the board's state (also what the live relay streams), a visitor's place
and estimated wait, what an officer at a counter sees."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core.cache import Versioned
from gerbang.core.exceptions import NotFound
from gerbang.core.prepared import PreparedRead
from gerbang.queueing.models import FINAL, Counter, KioskDevice, Lane, LaneDay, Ticket, TicketStatus
from gerbang.queueing.selectors.rules import CALL_ORDER, choose_priority, policy_of

# Service times of a lane's last so many visitors (of the last week) give its estimate.
RECENT_VISITS = 20
RECENT_DAYS = 7
# Calls listed under "last called" on the board.
RECENT_CALLS = 6
# The board as the API and the ticket pages read it is kept until the queue changes (every
# change tells the board: ``services._tell_board``), at most this long: estimates drift with
# the clock, and the day turns.
BOARD_CACHE_SECONDS = 5


def board_version(office_code: str) -> Versioned:
    """The version of an office's board kept in the cache (``selectors.current_board``, and
    the API's answer): by the office's code, which the API's address gives without a query."""
    return Versioned(f"queue-board:{office_code}:version")


def lanes_of(office: Office) -> QuerySet[Lane]:
    return Lane.objects.filter(office=office, is_active=True)


def counters_of(office: Office) -> QuerySet[Counter]:
    return (
        Counter.objects.filter(office=office, is_active=True)
        .select_related("opened_by")
        .prefetch_related("lanes")
    )


# Phones ask for their ticket every few seconds, a crowd of them at once: the read is compiled
# once (gerbang.core.prepared).
_ticket_of_token = PreparedRead(
    lambda token: Ticket.objects.select_related("lane", "office", "counter").filter(token=token), str
)


def ticket_by_token(token: str) -> Ticket:
    """The ticket of a phone page; a transferred ticket leads on to its successor."""
    ticket = _ticket_of_token.first(token)
    if ticket is None:
        raise NotFound()
    while ticket.status == TicketStatus.TRANSFERRED:
        following = (
            Ticket.objects.select_related("lane", "office", "counter").filter(transferred_from=ticket).first()
        )
        if following is None:
            break
        ticket = following
    return ticket


def kiosk_by_id(kiosk_id: int) -> KioskDevice | None:
    return KioskDevice.objects.select_related("office").filter(pk=kiosk_id, revoked_at__isnull=True).first()


def seconds_per_visitor(lane: Lane, default_minutes: int, now: dt.datetime) -> float:
    recent = [
        seconds
        for seconds in Ticket.objects.filter(
            lane=lane,
            status=TicketStatus.COMPLETED,
            ended_at__gte=now - dt.timedelta(days=RECENT_DAYS),
            service_seconds__isnull=False,
        )
        .order_by("-ended_at")
        .values_list("service_seconds", flat=True)[:RECENT_VISITS]
        if seconds is not None
    ]
    return float(mean(recent)) if recent else default_minutes * 60.0


def call_order(waiting: list[Ticket], *, since: int, every: int) -> list[Ticket]:
    """The lane's waiting tickets in the order they will be called, the priority rule applied
    as ``services.call_next`` applies it (tickets sent to one counter come first)."""
    ordered = sorted(waiting, key=lambda t: tuple(getattr(t, name) for name in CALL_ORDER))
    first = [t for t in ordered if t.for_counter_id is not None]
    regular = [t for t in ordered if t.for_counter_id is None and not t.priority]
    priority = [t for t in ordered if t.for_counter_id is None and t.priority]
    result = list(first)
    while regular or priority:
        if choose_priority(
            priority_waiting=bool(priority), regular_waiting=bool(regular), since=since, every=every
        ):
            result.append(priority.pop(0))
            since = 0
        else:
            result.append(regular.pop(0))
            since += 1
    return result


@dataclass
class LaneQueue:
    lane: Lane
    # Waiting tickets in call order, each with its estimated wait in seconds.
    waiting: list[tuple[Ticket, int]] = field(default_factory=list)
    open_counters: int = 0
    seconds_each: float = 0.0

    def position(self, ticket: Ticket) -> tuple[int, int] | None:
        """(people ahead, estimated seconds) of a waiting ticket of this lane."""
        for index, (waiting, seconds) in enumerate(self.waiting):
            if waiting.pk == ticket.pk:
                return index, seconds
        return None


def lane_queues(
    office: Office, now: dt.datetime | None = None, *, only: set[int] | None = None
) -> list[LaneQueue]:
    """The office's lanes (or ``only`` those ids) with their waiting tickets in call order."""
    now = now or timezone.now()
    day = catalog.office_today(office, now)
    policy = policy_of(office)
    lanes = [lane for lane in lanes_of(office) if only is None or lane.pk in only]
    waiting = list(
        Ticket.objects.filter(office=office, day=day, status=TicketStatus.WAITING, lane__in=lanes).order_by(
            *CALL_ORDER
        )
    )
    since = dict(
        LaneDay.objects.filter(lane__in=lanes, day=day).values_list("lane_id", "regular_since_priority")
    )
    open_by_lane: dict[int, int] = {}
    for counter in Counter.objects.filter(
        office=office, is_active=True, opened_by__isnull=False
    ).prefetch_related("lanes"):
        for lane in counter.lanes.all():
            open_by_lane[lane.pk] = open_by_lane.get(lane.pk, 0) + 1
    queues = []
    for lane in lanes:
        each = seconds_per_visitor(lane, policy.default_service_minutes, now)
        counters = open_by_lane.get(lane.pk, 0)
        ordered = call_order(
            [t for t in waiting if t.lane_id == lane.pk],
            since=since.get(lane.pk, 0),
            every=policy.priority_every,
        )
        per_place = each / max(1, counters)
        queues.append(
            LaneQueue(
                lane=lane,
                waiting=[(t, math.ceil(index * per_place)) for index, t in enumerate(ordered)],
                open_counters=counters,
                seconds_each=each,
            )
        )
    return queues


def board_state(office: Office, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything a display board and a ticket page show, as JSON: what each counter serves,
    the last calls, and each lane's waiting tickets in call order with their estimated waits.
    Ticket numbers only: nothing personal."""
    now = now or timezone.now()
    day = catalog.office_today(office, now)
    serving = {
        t.counter_id: t
        for t in Ticket.objects.filter(office=office, day=day, status=TicketStatus.CALLED).select_related(
            "lane"
        )
    }

    def at_counter(counter: Counter) -> dict[str, Any]:
        ticket = serving.get(counter.pk)
        return {
            "number": counter.number,
            "open": counter.is_open,
            "ticket": ticket.number if ticket else None,
            "lane": ticket.lane.letter if ticket else None,
            "called_at": ticket.last_called_at.isoformat() if ticket and ticket.last_called_at else None,
            "calls": ticket.calls if ticket else 0,
        }

    counters = [
        at_counter(c) for c in Counter.objects.filter(office=office, is_active=True).order_by("number")
    ]
    recent = [
        {
            "ticket": t.number,
            "counter": t.counter.number if t.counter else None,
            "at": t.last_called_at.isoformat(),
        }
        for t in Ticket.objects.filter(office=office, day=day, last_called_at__isnull=False)
        .select_related("counter")
        .order_by("-last_called_at", "-id")[:RECENT_CALLS]
        if t.last_called_at is not None
    ]
    lanes = [
        {
            "letter": q.lane.letter,
            "name_id": q.lane.name_id,
            "name_en": q.lane.name_en or q.lane.name_id,
            "open_counters": q.open_counters,
            "waiting": [[t.number, seconds] for t, seconds in q.waiting],
        }
        for q in lane_queues(office, now)
    ]
    return {
        "office": office.code,
        "day": day.isoformat(),
        "at": now.isoformat(),
        "counters": counters,
        "recent": recent,
        "lanes": lanes,
    }


def current_board(office: Office) -> dict[str, Any]:
    """``board_state`` of now, from the cache while the queue has not changed: what the API,
    the phone pages that poll it and the ticket pages read (a crowd of phones, one office)."""
    versions = board_version(office.code)
    key = f"queue-board:{office.code}"
    version, state = versions.get(key)
    if state is None:
        state = board_state(office)
        versions.set(key, version, state, BOARD_CACHE_SECONDS)
    return dict(state)


@dataclass
class TicketView:
    ticket: Ticket
    ahead: int | None = None
    wait_seconds: int | None = None
    open_counters: int = 0

    @property
    def wait_minutes(self) -> int | None:
        return None if self.wait_seconds is None else max(1, math.ceil(self.wait_seconds / 60))


def ticket_view(ticket: Ticket, now: dt.datetime | None = None) -> TicketView:
    """A waiting ticket's place in its lane, as the board (``current_board``; ``board_state``
    at ``now`` when given) shows it: a waiting ticket's number is unique in its lane."""
    view = TicketView(ticket)
    if ticket.status != TicketStatus.WAITING:
        return view
    state = current_board(ticket.office) if now is None else board_state(ticket.office, now)
    for lane in state["lanes"]:
        if lane["letter"] != ticket.lane.letter:
            continue
        view.open_counters = lane["open_counters"]
        for ahead, (number, seconds) in enumerate(lane["waiting"]):
            if number == ticket.number:
                view.ahead, view.wait_seconds = ahead, seconds
    return view


def counter_view(counter: Counter) -> dict[str, Any]:
    """What an officer at the counter sees: the visitor being served, those set aside here, and
    the lanes' lengths."""
    day = catalog.office_today(counter.office)
    current = (
        Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED)
        .select_related("lane", "application", "booking", "booking__slot")
        .first()
    )
    parked = list(
        Ticket.objects.filter(office=counter.office, day=day, status=TicketStatus.PARKED)
        .select_related("lane", "counter")
        .order_by("order_at")
    )
    queues = lane_queues(counter.office, only={lane.pk for lane in counter.lanes.all()})
    return {"current": current, "parked": parked, "queues": queues}


def open_tickets(office: Office, day: dt.date) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(office=office, day=day)
        .exclude(status__in=FINAL)
        .select_related("lane", "counter")
        .order_by(*CALL_ORDER)
    )
