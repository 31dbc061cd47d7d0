"""Every change to the on-site queue. Each public function is one transaction, records its
event, and tells the office's board and ticket pages after the commit.

Two counters never get the same ticket: a call is one conditional UPDATE (``status = waiting``)
and a counter can hold one called ticket only (a partial unique constraint). Calls of lanes that
share counters are serialised by locking the lanes' day rows (in id order), so the priority rule
(``QueuePolicy.priority_every``) counts every call exactly once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.permissions import Perm, require_permission
from gerbang.appointments import tokens
from gerbang.appointments.models import Booking, BookingStatus, LatePolicy, PriorityReason
from gerbang.appointments.selectors import policy_for as booking_policy_for
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office, ServiceCategory
from gerbang.core import events, formatting
from gerbang.core.cache import Versioned
from gerbang.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from gerbang.core.formatting import office_clock
from gerbang.live.publish import publish_on_commit
from gerbang.queueing.models import (
    Counter,
    KioskDevice,
    Lane,
    LaneDay,
    QueuePolicy,
    Ticket,
    TicketSource,
    TicketStatus,
)

# The order in which a lane's tickets are called (after the priority rule): those on time
# before late arrivals, then by appointment or arrival time.
CALL_ORDER = ("late", "order_at", "id")


def policy_of(office: Office) -> QueuePolicy:
    return QueuePolicy.objects.filter(office=office).first() or QueuePolicy(office=office)


def channel(office: Office) -> str:
    return f"queue:{office.code}"


def board_version(office_code: str) -> Versioned:
    """The version of an office's board kept in the cache (``selectors.current_board``, and
    the API's answer): by the office's code, which the API's address gives without a query."""
    return Versioned(f"queue-board:{office_code}:version")


def _tell_board(office: Office) -> None:
    """Every change of the queue comes here: the live boards are sent the new state after the
    commit, and the board kept in the cache is dropped (now and on commit)."""
    from gerbang.queueing.selectors import board_state

    board_version(office.code).changed()
    publish_on_commit(channel(office), lambda: board_state(office))


def _record(code: str, ticket: Ticket, actor: Any, **details: Any) -> None:
    events.record(
        code,
        actor=actor,
        subject=ticket,
        office_id=ticket.office_id,
        details={"number": ticket.number, "lane": ticket.lane.letter, **details},
    )


# --- Lanes and tickets -------------------------------------------------------------------------


def lane_for(office: Office, group: str, purpose: str) -> Lane | None:
    """The most specific active lane of the office for a visit of this group and purpose."""
    fitting = [
        lane
        for lane in Lane.objects.filter(office=office, is_active=True)
        if lane.group in ("", group) and lane.purpose in ("", purpose)
    ]
    if not fitting:
        return None
    return min(fitting, key=lambda lane: (not lane.group, not lane.purpose, lane.letter))


def _lane_days(lanes: list[Lane], day: dt.date, *, lock: bool) -> dict[int, LaneDay]:
    LaneDay.objects.bulk_create([LaneDay(lane=lane, day=day) for lane in lanes], ignore_conflicts=True)
    rows = LaneDay.objects.filter(lane__in=lanes, day=day).order_by("pk")
    if lock:
        rows = rows.select_for_update()
    return {row.lane_id: row for row in rows}


def _issue(
    *,
    lane: Lane,
    day: dt.date,
    source: str,
    now: dt.datetime,
    order_at: dt.datetime,
    priority_reason: str = "",
    late: bool = False,
    booking: Booking | None = None,
    application_id: int | None = None,
    actor: Any = None,
    note: str = "",
) -> Ticket:
    """A new ticket with the lane's next number of the day (inside the caller's transaction)."""
    lane_day = _lane_days([lane], day, lock=False)[lane.pk]
    LaneDay.objects.filter(pk=lane_day.pk).update(last_number=F("last_number") + 1)
    lane_day.refresh_from_db(fields=["last_number"])
    return Ticket.objects.create(
        office_id=lane.office_id,
        lane=lane,
        day=day,
        number=f"{lane.letter}-{lane_day.last_number:03d}",
        token=secrets.token_urlsafe(16),
        source=source,
        booking=booking,
        application_id=application_id if booking is None else booking.application_id,
        priority_reason=priority_reason,
        late=late,
        order_at=order_at,
        issued_at=now,
        issued_by=actor if getattr(actor, "pk", None) else None,
        status=TicketStatus.WAITING,
        note=note[:200],
    )


def _check_priority(reason: str) -> str:
    if reason not in PriorityReason.values:
        raise ValidationError(_("Choose a priority reason from the list."), field="priority_reason")
    return reason


# --- Check-in ----------------------------------------------------------------------------------


def read_booking_code(text: str, office: Office) -> str:
    """The booking code in what the kiosk read: a scanned QR token (checked with the office
    network's public key, and for this office) or a typed code (checked by its check character)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Scan the QR code of your booking or type its code."), field="code")
    if text.upper().startswith(tokens.PREFIX + "."):
        content = tokens.verify(text)
        if content is None:
            raise ValidationError(
                _("This QR code is not a genuine Gerbang booking. Type the booking code instead."),
                field="code",
            )
        if content.office_code != office.code:
            raise Conflict(_("This booking is for another office."), code="other_office")
        return content.code
    code = tokens.normalize_code(text)
    if code is None:
        raise ValidationError(
            _("This is not a booking code; check it (it looks like 7K3Q-H9TX-M) and type it again."),
            field="code",
        )
    return code


def _refuse_booking(booking: Booking) -> Conflict:
    messages = {
        BookingStatus.HELD: _("This booking was never confirmed."),
        BookingStatus.CANCELLED: _("This booking was cancelled."),
        BookingStatus.LAPSED: _("This booking was never confirmed."),
        BookingStatus.NO_SHOW: _("This appointment was missed; please book a new time."),
        BookingStatus.DONE: _("This appointment has already taken place."),
    }
    return Conflict(
        messages.get(BookingStatus(booking.status), _("This booking cannot be checked in.")),
        code="booking_not_active",
    )


def _checked_in_ticket(booking: Booking) -> Ticket | None:
    """The ticket the booking's check-in gave (not a transfer's successor)."""
    return Ticket.objects.filter(booking=booking).exclude(source=TicketSource.TRANSFER).first()


def check_in(
    *,
    office: Office,
    text: str,
    priority_reason: str = "",
    actor: Any = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Check a booked visitor in: a ticket in the lane of their visit. Accepted within the
    office's check-in window around the appointment; a late visitor is refused or served after
    those on time, as the office's rules say. Checking in twice gives the same ticket."""
    now = now or timezone.now()
    code = read_booking_code(text, office)
    _check_priority(priority_reason)
    booking = Booking.objects.select_related("slot", "application").filter(code=code).first()
    if booking is None:
        raise NotFound(_("No booking has this code. Check the code on your confirmation."))
    if booking.slot.office_id != office.pk:
        raise Conflict(_("This booking is for another office."), code="other_office")
    if booking.status == BookingStatus.CHECKED_IN:
        existing = _checked_in_ticket(booking)
        if existing is not None:
            return existing
    if booking.status != BookingStatus.CONFIRMED:
        raise _refuse_booking(booking)
    slot = booking.slot
    rules = booking_policy_for(office.pk, slot.group)
    opens = slot.starts_at - dt.timedelta(minutes=rules.checkin_before_minutes)
    closes = slot.starts_at + dt.timedelta(minutes=rules.checkin_after_minutes)
    today = catalog.office_today(office, now)
    if slot.day != today:
        raise Conflict(
            _("This appointment is on %(day)s, not today.") % {"day": formatting.weekday(slot.day)},
            code="other_day",
        )
    if now < opens:
        raise Conflict(
            _("Too early: check-in for your %(time)s appointment opens at %(opens)s.")
            % {"time": office_clock(slot.starts_at, office), "opens": office_clock(opens, office)},
            code="too_early",
        )
    late = now > closes
    if late and rules.late_policy == LatePolicy.REFUSE:
        raise Conflict(
            _("Your appointment was at %(time)s and check-in closed at %(closes)s. Please book a new time.")
            % {"time": office_clock(slot.starts_at, office), "closes": office_clock(closes, office)},
            code="too_late",
        )
    lane = lane_for(office, slot.group, booking.purpose)
    if lane is None:
        raise Conflict(
            _("The office has no queue for this visit. Please ask at the information desk."), code="no_lane"
        )
    try:
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
                status=BookingStatus.CHECKED_IN
            ):
                raise IntegrityError("checked in meanwhile")
            ticket = _issue(
                lane=lane,
                day=today,
                source=TicketSource.BOOKING,
                now=now,
                order_at=now if late else max(now, slot.starts_at),
                priority_reason=priority_reason or booking.priority_reason,
                late=late,
                booking=booking,
                actor=actor,
            )
            events.record(
                "queue.checked_in",
                actor=actor,
                subject=booking.application,
                office_id=office.pk,
                details={"public": True, "ticket": ticket.number, "booking": booking.code, "late": late},
            )
            _tell_board(office)
    except IntegrityError:
        # Another kiosk checked the same booking in at the same moment: the same ticket.
        existing = _checked_in_ticket(booking)
        if existing is None:
            raise
        return existing
    return ticket


def closed_now_text(office: Office, now: dt.datetime, *, refused: bool = False) -> str:
    """What an officer is told about issuing a ticket while the office is closed."""
    day = catalog.office_today(office, now)
    periods = catalog.opening_periods(office).get(day.weekday(), [])
    if day in catalog.working_calendar(office, day, 0).closed or not periods:
        text = _(
            "The office is closed all day today. Issue a ticket only to a visitor the office has let in."
        )
    else:
        text = _(
            "The office is closed now (opening hours today: %(hours)s). Issue a ticket only to a visitor "
            "who came in before closing."
        ) % {"hours": catalog.opening_hours_text(periods)}
    confirm = _("Tick the box to confirm.")
    return f"{text} {confirm}" if refused else text


def walk_in_issue(
    *,
    office: Office,
    lane: Lane,
    actor: Any,
    priority_reason: str = "",
    note: str = "",
    after_hours: bool = False,
    now: dt.datetime | None = None,
) -> Ticket:
    """A ticket for a visitor without a booking, issued by an officer; outside opening hours
    only when the officer says the visitor came in before closing (``after_hours``)."""
    now = now or timezone.now()
    require_permission(actor, Perm.QUEUE_SERVE, office_id=office.pk)
    if lane.office_id != office.pk or not lane.is_active:
        raise ValidationError(_("Choose a lane of this office."), field="lane")
    _check_priority(priority_reason)
    if not after_hours and not catalog.is_open_at(office, now):
        raise ValidationError(closed_now_text(office, now, refused=True), field="after_hours")
    with transaction.atomic():
        ticket = _issue(
            lane=lane,
            day=catalog.office_today(office, now),
            source=TicketSource.WALK_IN,
            now=now,
            order_at=now,
            priority_reason=priority_reason,
            actor=actor,
            note=note,
        )
        _record("queue.walk_in", ticket, actor, priority=priority_reason, after_hours=after_hours)
        _tell_board(office)
    return ticket


# --- Counters ----------------------------------------------------------------------------------


def _serving(counter: Counter) -> Ticket | None:
    return Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED).select_related("lane").first()


def counter_open(*, counter: Counter, actor: Any, now: dt.datetime | None = None) -> Counter:
    """The officer sits at this counter (and leaves any other they had open). Another officer's
    counter can be taken over: the handover is recorded."""
    now = now or timezone.now()
    require_permission(actor, Perm.QUEUE_SERVE, office_id=counter.office_id)
    if not counter.is_active:
        raise Conflict(_("This counter is not in use."), code="counter_not_in_use")
    with transaction.atomic():
        others = Counter.objects.filter(opened_by=actor).exclude(pk=counter.pk)
        if Ticket.objects.filter(counter__in=others, status=TicketStatus.CALLED).exists():
            raise Conflict(
                _("You are still serving a visitor at another counter; finish there first."), code="busy"
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


def counter_close(*, counter: Counter, actor: Any) -> Counter:
    require_permission(actor, Perm.QUEUE_SERVE, office_id=counter.office_id)
    with transaction.atomic():
        if _serving(counter) is not None:
            raise Conflict(
                _("Finish, set aside or transfer the current visitor before closing the counter."),
                code="busy",
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


def _require_at_counter(counter: Counter, actor: Any) -> None:
    require_permission(actor, Perm.QUEUE_SERVE, office_id=counter.office_id)
    if counter.opened_by_id != actor.pk:
        raise Conflict(_("Open this counter first."), code="counter_not_open")


def choose_priority(*, priority_waiting: bool, regular_waiting: bool, since: int, every: int) -> bool:
    """Whether the next call of a lane goes to a priority visitor: always when nobody else
    waits, otherwise once ``every - 1`` other visitors have been called since the last one
    (``every`` = 1: priority visitors first)."""
    return priority_waiting and (not regular_waiting or since >= every - 1)


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
        raise Conflict(_("Finish the current visitor first."), code="busy") from None


def call_next(*, counter: Counter, actor: Any, now: dt.datetime | None = None) -> Ticket | None:
    """Call the next visitor to this counter; None when nobody is waiting for it."""
    now = now or timezone.now()
    _require_at_counter(counter, actor)
    office = counter.office
    every = policy_of(office).priority_every
    lanes = list(counter.lanes.filter(is_active=True).order_by("pk"))
    if not lanes:
        raise Conflict(_("This counter serves no lane; an administrator sets its lanes."), code="no_lane")
    day = catalog.office_today(office, now)
    with transaction.atomic():
        if _serving(counter) is not None:
            raise Conflict(_("Finish the current visitor first."), code="busy")
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
        _record("queue.called", ticket, actor, counter=counter.number, priority=ticket.priority_reason)
        _tell_board(office)
    return ticket


# --- What a counter does with its visitor ------------------------------------------------------


def _at_counter(ticket: Ticket, actor: Any, *statuses: str) -> Counter:
    """The counter the ticket is at, after checking the officer may act on it now."""
    require_permission(actor, Perm.QUEUE_SERVE, office_id=ticket.office_id)
    if ticket.status not in statuses:
        raise Conflict(
            _("Ticket %(number)s is “%(status)s” now; reload the page.")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code="ticket_moved_on",
        )
    if ticket.counter is None:
        raise Conflict(_("This ticket is not at a counter."), code="ticket_moved_on")
    return ticket.counter


def _move(ticket: Ticket, source: str, **changes: Any) -> None:
    """One conditional update; a ticket changed meanwhile by someone else is a conflict."""
    if not Ticket.objects.filter(pk=ticket.pk, status=source).update(**changes):
        raise Conflict(_("This ticket was changed meanwhile; reload the page."), code="ticket_moved_on")
    ticket.refresh_from_db()


def ticket_recall(*, ticket: Ticket, actor: Any, now: dt.datetime | None = None) -> Ticket:
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
        Booking.objects.filter(pk=ticket.booking_id, status=BookingStatus.CHECKED_IN).update(
            status=status, ended_at=now
        )


def ticket_complete(*, ticket: Ticket, actor: Any, now: dt.datetime | None = None) -> Ticket:
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
    return ticket


def ticket_no_show(*, ticket: Ticket, actor: Any, now: dt.datetime | None = None) -> Ticket:
    """Called and did not come: the ticket ends and so does its booking."""
    now = now or timezone.now()
    _at_counter(ticket, actor, TicketStatus.CALLED)
    with transaction.atomic():
        _move(ticket, TicketStatus.CALLED, status=TicketStatus.NO_SHOW, ended_at=now)
        _end_booking(ticket, BookingStatus.NO_SHOW, now)
        _record("queue.no_show", ticket, actor, calls=ticket.calls)
        _tell_board(ticket.office)
    return ticket


def ticket_park(*, ticket: Ticket, actor: Any, note: str = "") -> Ticket:
    """Set the visitor aside for a moment (a missing photocopy, a payment to make); the counter
    is free for the next one, and the visitor can be called back or returned to the lane."""
    _at_counter(ticket, actor, TicketStatus.CALLED)
    with transaction.atomic():
        _move(ticket, TicketStatus.CALLED, status=TicketStatus.PARKED, note=note[:200])
        _record("queue.parked", ticket, actor, note=note[:200])
        _tell_board(ticket.office)
    return ticket


def ticket_return(*, ticket: Ticket, actor: Any) -> Ticket:
    """A visitor set aside goes back to their lane, at their old place (the front, usually)."""
    _at_counter(ticket, actor, TicketStatus.PARKED)
    with transaction.atomic():
        _move(ticket, TicketStatus.PARKED, status=TicketStatus.WAITING, counter=None)
        _record("queue.returned", ticket, actor)
        _tell_board(ticket.office)
    return ticket


def ticket_call_back(
    *, ticket: Ticket, counter: Counter, actor: Any, now: dt.datetime | None = None
) -> Ticket:
    """Call a visitor who was set aside straight to this counter."""
    now = now or timezone.now()
    _at_counter(ticket, actor, TicketStatus.PARKED)
    _require_at_counter(counter, actor)
    if counter.office_id != ticket.office_id:
        raise PermissionDenied()
    with transaction.atomic():
        if _serving(counter) is not None:
            raise Conflict(_("Finish the current visitor first."), code="busy")
        if not _mark_called(ticket, counter, now, source_status=TicketStatus.PARKED):
            raise Conflict(_("This ticket was changed meanwhile; reload the page."), code="ticket_moved_on")
        ticket.refresh_from_db()
        _record("queue.called", ticket, actor, counter=counter.number, called_back=True)
        _tell_board(ticket.office)
    return ticket


def ticket_transfer(
    *,
    ticket: Ticket,
    actor: Any,
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


# --- Settings by the office's administrators ----------------------------------------------------


def _require_manager(actor: Any, office: Office) -> None:
    require_permission(actor, Perm.QUEUE_MANAGE, office_id=office.pk)


@transaction.atomic
def lane_save(
    *,
    office: Office,
    letter: str,
    name_id: str,
    name_en: str = "",
    group: str = "",
    purpose: str = "",
    is_active: bool = True,
    actor: Any,
) -> Lane:
    """Add a lane, or change the lane with this letter."""
    _require_manager(actor, office)
    letter = (letter or "").strip().upper()
    if len(letter) != 1 or not "A" <= letter <= "Z":
        raise ValidationError(_("One capital letter, A to Z."), field="letter")
    if not name_id.strip():
        raise ValidationError(_("Give the lane a name."), field="name_id")
    if group and group not in ServiceCategory.values:
        raise ValidationError(_("Choose a service group from the list."), field="group")
    lane, _created = Lane.objects.update_or_create(
        office=office,
        letter=letter,
        defaults={
            "name_id": name_id.strip(),
            "name_en": name_en.strip(),
            "group": group,
            "purpose": purpose,
            "is_active": is_active,
        },
    )
    events.record(
        "queue.lane_saved",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"letter": letter, "group": group, "purpose": purpose, "active": is_active},
    )
    _tell_board(office)
    return lane


@transaction.atomic
def counter_save(
    *, office: Office, number: int, lanes: list[Lane], is_active: bool = True, actor: Any
) -> Counter:
    """Add a counter, or change the lanes of the counter with this number."""
    _require_manager(actor, office)
    if not 1 <= number <= 999:
        raise ValidationError(_("A counter number between 1 and 999."), field="number")
    if not lanes:
        raise ValidationError(_("Choose at least one lane for the counter."), field="lanes")
    if any(lane.office_id != office.pk for lane in lanes):
        raise ValidationError(_("Choose lanes of this office."), field="lanes")
    counter, _created = Counter.objects.update_or_create(
        office=office, number=number, defaults={"is_active": is_active}
    )
    if not is_active and _serving(counter) is not None:
        raise ValidationError(_("The counter is serving a visitor; it can be taken out of use after."))
    if not is_active:
        Counter.objects.filter(pk=counter.pk).update(opened_by=None, opened_at=None)
    counter.lanes.set(lanes)
    events.record(
        "queue.counter_saved",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"number": number, "lanes": sorted(lane.letter for lane in lanes), "active": is_active},
    )
    _tell_board(office)
    return counter


@transaction.atomic
def queue_policy_set(
    *,
    office: Office,
    priority_every: int,
    wait_target_minutes: int,
    default_service_minutes: int,
    actor: Any,
) -> QueuePolicy:
    _require_manager(actor, office)
    if not 1 <= priority_every <= 20:
        raise ValidationError(_("Between 1 (priority first) and 20."), field="priority_every")
    if not 1 <= wait_target_minutes <= 480:
        raise ValidationError(_("Between 1 and 480 minutes."), field="wait_target_minutes")
    if not 1 <= default_service_minutes <= 120:
        raise ValidationError(_("Between 1 and 120 minutes."), field="default_service_minutes")
    rules = {
        "priority_every": priority_every,
        "wait_target_minutes": wait_target_minutes,
        "default_service_minutes": default_service_minutes,
    }
    policy, _created = QueuePolicy.objects.update_or_create(office=office, defaults=rules)
    events.record("queue.rules_set", actor=actor, subject=office, office_id=office.pk, details=rules)
    _tell_board(office)
    return policy


@transaction.atomic
def kiosk_register(*, office: Office, name: str, actor: Any) -> KioskDevice:
    _require_manager(actor, office)
    if not name.strip():
        raise ValidationError(_("Name the kiosk (where it stands)."), field="name")
    kiosk = KioskDevice.objects.create(office=office, name=name.strip()[:100], created_by=actor)
    events.record(
        "queue.kiosk_registered",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"kiosk": kiosk.name},
    )
    return kiosk


@transaction.atomic
def kiosk_revoke(*, kiosk: KioskDevice, actor: Any, now: dt.datetime | None = None) -> KioskDevice:
    _require_manager(actor, kiosk.office)
    KioskDevice.objects.filter(pk=kiosk.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    kiosk.refresh_from_db()
    events.record(
        "queue.kiosk_revoked",
        actor=actor,
        subject=kiosk.office,
        office_id=kiosk.office_id,
        details={"kiosk": kiosk.name},
    )
    return kiosk


# --- Bookings nobody came for --------------------------------------------------------------------


def bookings_mark_missed(*, now: dt.datetime | None = None) -> int:
    """Confirmed bookings whose check-in can no longer happen become no-shows: after the
    check-in window when late visitors are refused, after the appointment's day otherwise."""
    now = now or timezone.now()
    missed = 0
    candidates = Booking.objects.select_related("slot", "slot__office").filter(
        status=BookingStatus.CONFIRMED, slot__starts_at__lt=now
    )
    for booking in candidates:
        slot = booking.slot
        rules = booking_policy_for(slot.office_id, slot.group)
        if rules.late_policy == LatePolicy.REFUSE:
            closed = now > slot.starts_at + dt.timedelta(minutes=rules.checkin_after_minutes)
        else:
            closed = catalog.office_today(slot.office, now) > slot.day
        if closed and Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
            status=BookingStatus.NO_SHOW, ended_at=now, end_reason="did not check in"
        ):
            missed += 1
    return missed


def kiosk_seen(kiosk: KioskDevice, now: dt.datetime | None = None) -> None:
    """Note that a kiosk is in use (shown to administrators); at most once a minute."""
    now = now or timezone.now()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at > dt.timedelta(minutes=1):
        KioskDevice.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
