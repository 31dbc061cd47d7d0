"""Appointments as JSON: availability, hold, confirm, cancel and reschedule, with the same
services (and so the same rules and messages) as the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.applications.models import Application
from gerbang.applications.selectors import application_of
from gerbang.appointments import admission, seen, selectors, services
from gerbang.appointments.models import Booking, BookingStatus
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import Conflict, ErrorCode, NotFound

router = Router(tags=["appointments"])


# A queue ticket, as /queue/tickets/{token} answers it: defined here, below the queue, so that
# the answer about a booking checked in at the office can carry its ticket.
class TicketOut(Schema):
    number: str
    status: str
    office: str
    lane: str
    lane_name: str
    priority: bool
    counter: int | None
    ahead: int | None
    wait_seconds: int | None
    issued_at: datetime
    called_at: datetime | None
    ended_at: datetime | None


# The queue ticket a booking was checked in with at the office and its token, as
# /queue/tickets/{token} answers it. The on-site queue sits above appointments: it says how to
# find one when it starts (in its apps.py), so appointments never import it.
TicketReader = Callable[[Booking], tuple[dict[str, Any], str] | None]
_ticket_reader: TicketReader | None = None


def read_tickets_with(reader: TicketReader) -> None:
    """Called once, when the queue app is ready."""
    global _ticket_reader
    _ticket_reader = reader


class TimeSlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    free: int


class DayOut(Schema):
    day: date
    status: str
    free: int
    reason: str
    release_at: datetime | None
    slots: list[TimeSlotOut]


class BookingOut(Schema):
    code: str
    status: str
    purpose: str
    priority_reason: str
    starts_at: datetime
    ends_at: datetime
    office: str
    hold_expires_at: datetime | None
    reschedules: int
    reschedules_left: int
    change_until: datetime
    qr_token: str
    # Once checked in at the office: the ticket, as /queue/tickets/{token} answers it.
    ticket: TicketOut | None = None
    ticket_token: str | None = None


class HoldIn(Schema):
    slot: int
    priority_reason: str = ""


class SlotIn(Schema):
    slot: int


def _own(request: HttpRequest, pk: int) -> Application:
    application = application_of(request.user, pk, to_book=True)
    if application is None:
        raise NotFound()
    return application


def _current(application: Application) -> Booking:
    booking = selectors.active_booking(application)
    if booking is None:
        raise NotFound()
    return booking


def _booking(booking: Booking) -> dict[str, Any]:
    return {
        "code": booking.code,
        "status": booking.status,
        "purpose": booking.purpose,
        "priority_reason": booking.priority_reason,
        "starts_at": booking.slot.starts_at,
        "ends_at": booking.slot.ends_at,
        "office": booking.slot.office.code,
        "hold_expires_at": booking.hold_expires_at,
        "reschedules": booking.reschedules,
        "reschedules_left": selectors.reschedules_left(booking),
        "change_until": selectors.change_deadline(booking),
        "qr_token": selectors.token_for(booking) if booking.status == BookingStatus.CONFIRMED else "",
        **_ticket_of(booking),
    }


def _ticket_of(booking: Booking) -> dict[str, Any]:
    # A ticket comes with the check-in.
    found = None if booking.is_active or _ticket_reader is None else _ticket_reader(booking)
    if found is None:
        return {"ticket": None, "ticket_token": None}
    ticket, token = found
    return {"ticket": ticket, "ticket_token": token}


@router.get(
    "/applications/{pk}/appointment/availability", response=list[DayOut], auth=signed_in(Scope.APPOINTMENTS)
)
def availability(request: HttpRequest, pk: int, priority: bool = False) -> list[dict[str, Any]]:
    """The coming days with free places, or why a day cannot be booked."""
    application = _own(request, pk)
    if selectors.purpose_of(application) is None:
        raise Conflict(
            _("This application needs no visit to the office now."), code=ErrorCode.NO_VISIT_NEEDED
        )
    services.slots_ensure_shown(office=application.office, group=application.service.category)
    days = selectors.availability(application.office, application.service, priority=priority)
    seen.note(application.pk, days)
    return [
        {
            "day": d.day,
            "status": d.status,
            "free": d.free,
            "reason": d.reason,
            "release_at": d.release_at,
            "slots": [
                {"id": v.slot.pk, "starts_at": v.slot.starts_at, "ends_at": v.slot.ends_at, "free": v.free}
                for v in d.slots
            ],
        }
        for d in days
    ]


@router.get("/applications/{pk}/appointment", response=BookingOut, auth=signed_in(Scope.APPOINTMENTS))
def get_booking(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The case's current booking, or the one it is checked in with at the office (then with
    its queue ticket)."""
    application = _own(request, pk)
    booking = selectors.active_booking(application) or (
        selectors.bookings_of(application).filter(status=BookingStatus.CHECKED_IN).first()
    )
    if booking is None:
        raise NotFound()
    return _booking(booking)


@router.post(
    "/applications/{pk}/appointment/hold", response={201: BookingOut}, auth=signed_in(Scope.APPOINTMENTS)
)
def hold(request: AuthenticatedRequest, pk: int, payload: HoldIn) -> Status[Any]:
    """Hold a time while the applicant confirms; the same request twice gives the same hold."""
    admission.admit(request)
    application = _own(request, pk)
    booking = services.booking_hold(
        application=application,
        slot_id=payload.slot,
        actor=request.user,
        priority_reason=payload.priority_reason,
        first_free_day=seen.first_free_day(application.pk),
    )
    return Status(201, _booking(booking))


@router.post(
    "/applications/{pk}/appointment/confirm", response=BookingOut, auth=signed_in(Scope.APPOINTMENTS)
)
def confirm(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    application = _own(request, pk)
    return _booking(services.booking_confirm(booking=_current(application), actor=request.user))


@router.post(
    "/applications/{pk}/appointment/reschedule", response=BookingOut, auth=signed_in(Scope.APPOINTMENTS)
)
def reschedule(request: AuthenticatedRequest, pk: int, payload: SlotIn) -> dict[str, Any]:
    application = _own(request, pk)
    admission.admit(request)
    booking = services.booking_reschedule(
        booking=_current(application), slot_id=payload.slot, actor=request.user
    )
    return _booking(booking)


@router.post("/applications/{pk}/appointment/cancel", response=BookingOut, auth=signed_in(Scope.APPOINTMENTS))
def cancel(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    application = _own(request, pk)
    return _booking(services.booking_cancel(booking=_current(application), actor=request.user))
