"""What a counter does with its visitor: call again, complete, no-show, set aside, return,
call back, transfer."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.appointments.models import BookingStatus
from gerbang.appointments.services import booking_visit_end
from gerbang.core import events
from gerbang.core.exceptions import Conflict, ErrorCode, PermissionDenied, ValidationError
from gerbang.queueing.events import TicketCompleted
from gerbang.queueing.models import Counter, Lane, Ticket, TicketSource, TicketStatus
from gerbang.queueing.services.board import _tell_board
from gerbang.queueing.services.counters import _mark_called, _require_at_counter, _serving
from gerbang.queueing.services.records import _record


def _at_counter(ticket: Ticket, actor: User, *statuses: str) -> Counter:
    """The counter the ticket is at, after checking the officer may act on it now."""
    require_permission(actor, Perm.QUEUE_SERVE, office_id=ticket.office_id)
    if ticket.status not in statuses:
        raise Conflict(
            _("Ticket %(number)s is “%(status)s” now; reload the page.")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code=ErrorCode.TICKET_MOVED_ON,
        )
    if ticket.counter is None:
        raise Conflict(_("This ticket is not at a counter."), code=ErrorCode.TICKET_MOVED_ON)
    return ticket.counter


def notes_joined(earlier: str, new: str, limit: int = 200) -> str:
    """The ticket's note with a new one after it (a need noted at issue, such as help reading,
    must not be lost when the visitor is set aside); the earlier note is kept whole and the new
    one shortened when both do not fit."""
    earlier, new = earlier.strip(), new.strip()
    if not new or new == earlier:
        return earlier[:limit]
    if not earlier:
        return new[:limit]
    joined = f"{earlier} · {new}"
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def _move(ticket: Ticket, source: str, **changes: Any) -> None:
    """One conditional update; a ticket changed meanwhile by someone else is a conflict."""
    if not Ticket.objects.filter(pk=ticket.pk, status=source).update(**changes):
        raise Conflict(
            _("This ticket was changed meanwhile; reload the page."), code=ErrorCode.TICKET_MOVED_ON
        )
    ticket.refresh_from_db()


def ticket_recall(*, ticket: Ticket, actor: User, now: dt.datetime | None = None) -> Ticket:
    """Call the same visitor again (the board shows and chimes it once more)."""
    now = now or timezone.now()
    _at_counter(ticket, actor, TicketStatus.CALLED)
    with transaction.atomic():
        _move(ticket, TicketStatus.CALLED, last_called_at=now, calls=F("calls") + 1)
        _record("queue.recalled", ticket, actor, calls=ticket.calls)
        _tell_board(ticket.office)
    return ticket


def _end_booking(ticket: Ticket, status: str, now: dt.datetime) -> None:
    if ticket.booking_id is not None:
        booking_visit_end(booking_id=ticket.booking_id, status=status, now=now)


def ticket_complete(*, ticket: Ticket, actor: User, now: dt.datetime | None = None) -> Ticket:
    """The visitor was served: the service time is recorded and the booking is done."""
    now = now or timezone.now()
    _at_counter(ticket, actor, TicketStatus.CALLED)
    seconds = max(0, int((now - (ticket.called_at or now)).total_seconds()))
    with transaction.atomic():
        _move(
            ticket, TicketStatus.CALLED, status=TicketStatus.COMPLETED, ended_at=now, service_seconds=seconds
        )
        _end_booking(ticket, BookingStatus.DONE, now)
        _record("queue.completed", ticket, actor, service_seconds=seconds)
        _tell_board(ticket.office)
        events.publish(TicketCompleted(ticket=ticket, at=now))
    return ticket


def ticket_no_show(*, ticket: Ticket, actor: User, now: dt.datetime | None = None) -> Ticket:
    """Called and did not come: the ticket ends and so does its booking."""
    now = now or timezone.now()
    _at_counter(ticket, actor, TicketStatus.CALLED)
    with transaction.atomic():
        _move(ticket, TicketStatus.CALLED, status=TicketStatus.NO_SHOW, ended_at=now)
        _end_booking(ticket, BookingStatus.NO_SHOW, now)
        _record("queue.no_show", ticket, actor, calls=ticket.calls)
        _tell_board(ticket.office)
    return ticket


def ticket_park(*, ticket: Ticket, actor: User, note: str = "") -> Ticket:
    """Set the visitor aside for a moment (a missing photocopy, a payment to make); the counter
    is free for the next one, and the visitor can be called back or returned to the lane."""
    _at_counter(ticket, actor, TicketStatus.CALLED)
    with transaction.atomic():
        _move(ticket, TicketStatus.CALLED, status=TicketStatus.PARKED, note=notes_joined(ticket.note, note))
        _record("queue.parked", ticket, actor, note=note[:200])
        _tell_board(ticket.office)
    return ticket


def ticket_return(*, ticket: Ticket, actor: User) -> Ticket:
    """A visitor set aside goes back to their lane, at their old place (the front, usually)."""
    _at_counter(ticket, actor, TicketStatus.PARKED)
    with transaction.atomic():
        _move(ticket, TicketStatus.PARKED, status=TicketStatus.WAITING, counter=None)
        _record("queue.returned", ticket, actor)
        _tell_board(ticket.office)
    return ticket


def ticket_call_back(
    *, ticket: Ticket, counter: Counter, actor: User, now: dt.datetime | None = None
) -> Ticket:
    """Call a visitor who was set aside straight to this counter."""
    now = now or timezone.now()
    _at_counter(ticket, actor, TicketStatus.PARKED)
    _require_at_counter(counter, actor)
    if counter.office_id != ticket.office_id:
        raise PermissionDenied()
    with transaction.atomic():
        if _serving(counter) is not None:
            raise Conflict(_("Finish the current visitor first."), code=ErrorCode.BUSY_AT_COUNTER)
        if not _mark_called(ticket, counter, now, source_status=TicketStatus.PARKED):
            raise Conflict(
                _("This ticket was changed meanwhile; reload the page."), code=ErrorCode.TICKET_MOVED_ON
            )
        ticket.refresh_from_db()
        _record("queue.called", ticket, actor, counter=counter.number, called_back=True)
        _tell_board(ticket.office)
    return ticket


def ticket_transfer(
    *,
    ticket: Ticket,
    actor: User,
    lane: Lane | None = None,
    counter: Counter | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """Send the visitor on to another lane, or to one counter: this ticket ends as transferred,
    and its successor (the same number) waits there at the visitor's old place."""
    now = now or timezone.now()
    _at_counter(ticket, actor, TicketStatus.CALLED, TicketStatus.PARKED)
    if lane is None and counter is None:
        raise ValidationError(_("Choose a lane or a counter to send the visitor to."), field="lane")
    if counter is not None:
        if counter.office_id != ticket.office_id or not counter.is_active:
            raise ValidationError(_("Choose a counter of this office."), field="counter")
        if counter.pk == ticket.counter_id:
            raise ValidationError(_("The visitor is already at this counter."), field="counter")
        served = list(counter.lanes.filter(is_active=True))
        if lane is None:
            lane = ticket.lane if ticket.lane in served else (served[0] if served else None)
        if lane is None or lane not in served:
            raise ValidationError(_("That counter does not serve this lane."), field="counter")
    if lane is None or lane.office_id != ticket.office_id or not lane.is_active:
        raise ValidationError(_("Choose a lane of this office."), field="lane")
    if counter is None and lane.pk == ticket.lane_id:
        raise ValidationError(_("The visitor is already in this lane."), field="lane")
    with transaction.atomic():
        source = ticket.status
        _move(ticket, source, status=TicketStatus.TRANSFERRED, ended_at=now, note=note[:200])
        successor = Ticket.objects.create(
            office_id=ticket.office_id,
            lane=lane,
            day=ticket.day,
            number=ticket.number,
            token=secrets.token_urlsafe(16),
            source=TicketSource.TRANSFER,
            booking_id=ticket.booking_id,
            application_id=ticket.application_id,
            priority_reason=ticket.priority_reason,
            late=ticket.late,
            order_at=ticket.order_at,
            issued_at=now,
            issued_by=actor,
            status=TicketStatus.WAITING,
            for_counter=counter,
            transferred_from=ticket,
            note=note[:200],
        )
        _record(
            "queue.transferred",
            ticket,
            actor,
            to_lane=lane.letter,
            to_counter=counter.number if counter else None,
            note=note[:200],
        )
        _tell_board(ticket.office)
    return successor
