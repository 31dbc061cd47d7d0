"""The on-site queue as JSON: an office's board (what the display board and the ticket pages
show; the live relay streams the same document), and one ticket's status by its token."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Router, Schema
from ninja.decorators import decorate_view

from gerbang.appointments.api import TicketOut
from gerbang.appointments.models import Booking
from gerbang.catalog import selectors as catalog
from gerbang.core.exceptions import NotFound
from gerbang.queueing import selectors
from gerbang.queueing.selectors import board_version

router = Router(tags=["queue"])


class CounterOut(Schema):
    number: int
    open: bool
    ticket: str | None
    lane: str | None
    called_at: datetime | None
    calls: int


class CallOut(Schema):
    ticket: str
    counter: int | None
    at: datetime


class LaneOut(Schema):
    letter: str
    name_id: str
    name_en: str
    open_counters: int
    waiting: list[tuple[str, int]]


class BoardOut(Schema):
    office: str
    day: date
    at: datetime
    counters: list[CounterOut]
    recent: list[CallOut]
    lanes: list[LaneOut]


def kept_until_the_queue_changes(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The board's answer, kept while the office's queue has not changed (at most
    ``BOARD_CACHE_SECONDS``): phones and boards poll it, and a kept answer needs no query."""

    @wraps(view)
    def kept(request: HttpRequest, *args: Any, code: str, **kwargs: Any) -> HttpResponse:
        versions = board_version(code)
        key = f"queue-board-answer:{code}"
        version, kept = versions.get(key)
        response: HttpResponse | None = kept
        if response is None:
            response = view(request, *args, code=code, **kwargs)
            if response.status_code == 200:
                versions.set(key, version, response, selectors.BOARD_CACHE_SECONDS)
        return response

    return kept


@router.get("/offices/{code}/queue", response=BoardOut, url_name="queue_board")
@decorate_view(kept_until_the_queue_changes)
def board(request: HttpRequest, code: str, response: HttpResponse) -> dict[str, Any]:
    """Now serving per counter, the last calls, and each lane's waiting tickets in call order
    with their estimated waits in seconds (ticket numbers only, nothing personal)."""
    office = catalog.office_named(code)
    if office is None:
        raise NotFound()
    response["Cache-Control"] = "no-store"
    return selectors.current_board(office)


def booking_ticket(booking: Booking) -> tuple[dict[str, Any], str] | None:
    """The ticket a booking was checked in with and its token (the appointment's API answer
    shows it; a transferred ticket answers for its successor)."""
    first = booking.tickets.order_by("id").first()
    return None if first is None else (ticket_status(first.token), first.token)


def ticket_status(token: str) -> dict[str, Any]:
    ticket = selectors.ticket_by_token(token)
    view = selectors.ticket_view(ticket)
    return {
        "number": ticket.number,
        "status": ticket.status,
        "office": ticket.office.code,
        "lane": ticket.lane.letter,
        "lane_name": str(ticket.lane.name),
        "priority": ticket.priority,
        "counter": ticket.counter.number if ticket.counter else None,
        "ahead": view.ahead,
        "wait_seconds": view.wait_seconds,
        "issued_at": ticket.issued_at,
        "called_at": ticket.last_called_at,
        "ended_at": ticket.ended_at,
    }


# A ticket's office never changes (a transfer makes a new ticket), so it is kept for long.
_TICKET_OFFICE_SECONDS = 24 * 3600


def kept_per_ticket(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A ticket's answer, kept like the board's until its office's queue changes (every change
    of a ticket is one), per token and language: the phone of everyone waiting polls it. The
    office of a token (the one its answer is for) is remembered once it has been answered."""

    @wraps(view)
    def kept(request: HttpRequest, *args: Any, token: str, **kwargs: Any) -> HttpResponse:
        named = hashlib.sha256(token.encode()).hexdigest()  # any text may come in the address
        office_key = f"queue-ticket-office:{named}"
        office = cache.get(office_key)
        key = f"queue-ticket-answer:{named}:{get_language()}"
        version, response = board_version(office).get(key) if office else (0, None)
        if response is None:
            response = view(request, *args, token=token, **kwargs)
            if response.status_code == 200 and office:
                board_version(office).set(key, version, response, selectors.BOARD_CACHE_SECONDS)
            elif response.status_code == 200:  # kept from the next answer on, under its version
                cache.set(office_key, json.loads(response.content)["office"], _TICKET_OFFICE_SECONDS)
        return response

    return kept


@router.get("/queue/tickets/{token}", response=TicketOut, url_name="queue_ticket")
@decorate_view(kept_per_ticket)
def ticket(request: HttpRequest, token: str, response: HttpResponse) -> dict[str, Any]:
    """A ticket by the token of its phone page (a transferred ticket answers for its
    successor): its status, the people ahead, the estimated wait and the counter once called."""
    response["Cache-Control"] = "no-store"
    return ticket_status(token)
