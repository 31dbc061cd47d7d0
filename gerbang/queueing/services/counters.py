"""Counters: an officer opens and closes one, and calls the next visitor to it.

Two counters never get the same ticket: a call is one conditional UPDATE (``status = waiting``)
and a counter can hold one called ticket only (a partial unique constraint). Calls of lanes that
share counters are serialised by locking the lanes' day rows (in id order), so the priority rule
(``QueuePolicy.priority_every``) counts every call exactly once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.catalog import selectors as catalog
from gerbang.core import events
from gerbang.core.exceptions import Conflict, ErrorCode
from gerbang.queueing.models import Counter, Lane, LaneDay, Ticket, TicketStatus
from gerbang.queueing.selectors import CALL_ORDER, choose_priority, policy_of
from gerbang.queueing.services.board import _tell_board
from gerbang.queueing.services.records import _record
from gerbang.queueing.services.tickets import _lane_days


def _serving(counter: Counter) -> Ticket | None:
    return Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED).select_related("lane").first()


def counter_open(*, counter: Counter, actor: User, now: dt.datetime | None = None) -> Counter:
    """The officer sits at this counter (and leaves any other they had open). Another officer's
    counter can be taken over: the handover is recorded."""
    now = now or timezone.now()
    require_permission(actor, Perm.QUEUE_SERVE, office_id=counter.office_id)
    if not counter.is_active:
        raise Conflict(_("This counter is not in use."), code=ErrorCode.COUNTER_NOT_IN_USE)
    with transaction.atomic():
        others = Counter.objects.filter(opened_by=actor).exclude(pk=counter.pk)
        if Ticket.objects.filter(counter__in=others, status=TicketStatus.CALLED).exists():
            raise Conflict(
                _("You are still serving a visitor at another counter; finish there first."),
                code=ErrorCode.BUSY_AT_COUNTER,
            )
        others.update(opened_by=None, opened_at=None)
        previous = counter.opened_by_id
        Counter.objects.filter(pk=counter.pk).update(opened_by=actor, opened_at=now)
        counter.opened_by, counter.opened_at = actor, now
        events.record(
            "queue.counter_opened",
            actor=actor,
            subject=counter,
            office_id=counter.office_id,
            details={"number": counter.number, "taken_over_from": previous if previous != actor.pk else None},
        )
        _tell_board(counter.office)
    return counter


def counter_close(*, counter: Counter, actor: User) -> Counter:
    require_permission(actor, Perm.QUEUE_SERVE, office_id=counter.office_id)
    with transaction.atomic():
        if _serving(counter) is not None:
            raise Conflict(
                _("Finish, set aside or transfer the current visitor before closing the counter."),
                code=ErrorCode.BUSY_AT_COUNTER,
            )
        Counter.objects.filter(pk=counter.pk).update(opened_by=None, opened_at=None)
        counter.opened_by, counter.opened_at = None, None
        events.record(
            "queue.counter_closed",
            actor=actor,
            subject=counter,
            office_id=counter.office_id,
            details={"number": counter.number},
        )
        _tell_board(counter.office)
    return counter


def _require_at_counter(counter: Counter, actor: User) -> None:
    require_permission(actor, Perm.QUEUE_SERVE, office_id=counter.office_id)
    if counter.opened_by_id != actor.pk:
        raise Conflict(_("Open this counter first."), code=ErrorCode.COUNTER_NOT_OPEN)


def _next_for(
    counter: Counter, lanes: list[Lane], day: dt.date, lane_days: dict[int, LaneDay], every: int
) -> Ticket | None:
    waiting = Ticket.objects.filter(day=day, status=TicketStatus.WAITING).select_related("lane")
    mine = waiting.filter(for_counter=counter).order_by(*CALL_ORDER).first()
    if mine is not None:
        return mine
    candidates = []
    for lane in lanes:
        in_lane = waiting.filter(lane=lane, for_counter__isnull=True)
        regular = in_lane.filter(priority_reason="").order_by(*CALL_ORDER).first()
        priority = in_lane.exclude(priority_reason="").order_by(*CALL_ORDER).first()
        if choose_priority(
            priority_waiting=priority is not None,
            regular_waiting=regular is not None,
            since=lane_days[lane.pk].regular_since_priority,
            every=every,
        ):
            candidates.append(priority)
        elif regular is not None:
            candidates.append(regular)
    tickets = [t for t in candidates if t is not None]
    if not tickets:
        return None
    return min(tickets, key=lambda t: (not t.priority, t.late, t.order_at, t.pk))


def _mark_called(ticket: Ticket, counter: Counter, now: dt.datetime, *, source_status: str) -> bool:
    changes: dict[str, Any] = {
        "status": TicketStatus.CALLED,
        "counter": counter,
        "for_counter": None,
        "called_at": now,
        "last_called_at": now,
        "calls": F("calls") + 1,
    }
    if ticket.first_called_at is None:
        changes["first_called_at"] = now
        changes["waited_seconds"] = max(0, int((now - ticket.issued_at).total_seconds()))
    try:
        return bool(Ticket.objects.filter(pk=ticket.pk, status=source_status).update(**changes))
    except IntegrityError:
        # The counter already holds a called ticket (a second press of "call next").
        raise Conflict(_("Finish the current visitor first."), code=ErrorCode.BUSY_AT_COUNTER) from None


def call_next(*, counter: Counter, actor: User, now: dt.datetime | None = None) -> Ticket | None:
    """Call the next visitor to this counter; None when nobody is waiting for it."""
    now = now or timezone.now()
    _require_at_counter(counter, actor)
    office = counter.office
    every = policy_of(office).priority_every
    lanes = list(counter.lanes.filter(is_active=True).order_by("pk"))
    if not lanes:
        raise Conflict(
            _("This counter serves no lane; an administrator sets its lanes."), code=ErrorCode.NO_LANE
        )
    day = catalog.office_today(office, now)
    with transaction.atomic():
        if _serving(counter) is not None:
            raise Conflict(_("Finish the current visitor first."), code=ErrorCode.BUSY_AT_COUNTER)
        lane_days = _lane_days(lanes, day, lock=True)
        for _attempt in range(5):
            ticket = _next_for(counter, lanes, day, lane_days, every)
            if ticket is None:
                return None
            if _mark_called(ticket, counter, now, source_status=TicketStatus.WAITING):
                break
        else:
            return None
        LaneDay.objects.filter(lane=ticket.lane, day=day).update(
            regular_since_priority=0 if ticket.priority else F("regular_since_priority") + 1
        )
        ticket.refresh_from_db()
        _record("queue.called", ticket, actor, counter=counter.number, priority=bool(ticket.priority_reason))
        _tell_board(office)
    return ticket
