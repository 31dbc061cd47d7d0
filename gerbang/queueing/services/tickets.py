"""Issuing tickets: a lane's next number of the day, and tickets for walk-in visitors."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.appointments.models import Booking, PriorityReason
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core.actors import SystemActor, person
from gerbang.core.exceptions import ValidationError
from gerbang.queueing.models import Lane, LaneDay, Ticket, TicketSource, TicketStatus
from gerbang.queueing.selectors import closed_now_text
from gerbang.queueing.services.board import _tell_board
from gerbang.queueing.services.records import _record


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
    actor: User | SystemActor,
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
        issued_by=person(actor),
        status=TicketStatus.WAITING,
        note=note[:200],
    )


def _check_priority(reason: str) -> str:
    if reason not in PriorityReason.values:
        raise ValidationError(_("Choose a priority reason from the list."), field="priority_reason")
    return reason


def walk_in_issue(
    *,
    office: Office,
    lane: Lane,
    actor: User,
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
        _record(
            "queue.walk_in",
            ticket,
            actor,
            note=note[:200],
            priority=bool(priority_reason),
            after_hours=after_hours,
        )
        _tell_board(office)
    return ticket
