"""Checking booked visitors in, and the bookings nobody came for."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.appointments import tokens
from gerbang.appointments.models import Booking, BookingStatus, LatePolicy
from gerbang.appointments.selectors import policy_for as booking_policy_for
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core import events, formatting
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, ErrorCode, NotFound, ValidationError
from gerbang.core.formatting import office_clock
from gerbang.queueing.models import Ticket, TicketSource
from gerbang.queueing.selectors import lane_for
from gerbang.queueing.services.board import _tell_board
from gerbang.queueing.services.tickets import _check_priority, _issue


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
            raise Conflict(_("This booking is for another office."), code=ErrorCode.OTHER_OFFICE)
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
        code=ErrorCode.BOOKING_NOT_ACTIVE,
    )


def _checked_in_ticket(booking: Booking) -> Ticket | None:
    """The ticket the booking's check-in gave (not a transfer's successor)."""
    return Ticket.objects.filter(booking=booking).exclude(source=TicketSource.TRANSFER).first()


def check_in(
    *,
    office: Office,
    text: str,
    priority_reason: str = "",
    actor: User | SystemActor,
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
        raise Conflict(_("This booking is for another office."), code=ErrorCode.OTHER_OFFICE)
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
            code=ErrorCode.OTHER_DAY,
        )
    if now < opens:
        raise Conflict(
            _("Too early: check-in for your %(time)s appointment opens at %(opens)s.")
            % {"time": office_clock(slot.starts_at, office), "opens": office_clock(opens, office)},
            code=ErrorCode.TOO_EARLY,
        )
    late = now > closes
    if late and rules.late_policy == LatePolicy.REFUSE:
        raise Conflict(
            _("Your appointment was at %(time)s and check-in closed at %(closes)s. Please book a new time.")
            % {"time": office_clock(slot.starts_at, office), "closes": office_clock(closes, office)},
            code=ErrorCode.TOO_LATE,
        )
    lane = lane_for(office, slot.group, booking.purpose)
    if lane is None:
        raise Conflict(
            _("The office has no queue for this visit. Please ask at the information desk."),
            code=ErrorCode.NO_LANE,
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
