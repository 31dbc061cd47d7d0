"""Who may try to book right now: a waiting room in front of booking, and throttles for
obvious automation, both before anything reaches the slots.

The waiting room admits people at the rate the system can serve (``BOOKING_ADMISSION_RATE`` per
second): each newcomer draws a ticket, and an admission front moves forward at that rate, so in
quiet times everyone walks straight in and in a rush people are let in in the order they came,
seeing "about N ahead of you" on a page that refreshes itself (the API answers 429 with
Retry-After). Whoever is admitted keeps a pass for ten minutes, long enough to choose, hold and
confirm. One account hammering the booking (more than a person can press) and many accounts
from one network address are answered 429 with Retry-After as well. The counters, tickets and
passes live in the counters cache (Redis when configured, so every server process counts
together), never in the session or the database: a rush must not queue on writes.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerbang.accounts.throttling import client_ip
from gerbang.core.exceptions import RateLimited
from gerbang.core.ratelimit import Limit, hit_all

# A person choosing times presses a few times a minute; a script presses hundreds.
PER_ACCOUNT = Limit("booking-account", 20, 60)
# Generous: an office's public network or a mobile carrier's NAT puts many people behind one address.
PER_ADDRESS = Limit("booking-address", 300, 60)


class TooFast(RateLimited):
    default_message = _("Too many booking attempts in a short time. Please wait a minute and try again.")


class InLine(RateLimited):
    """Not yet admitted by the waiting room."""


def throttle(account: Any, address: str) -> None:
    """Count one booking attempt of an account from an address; raise TooFast when over a limit."""
    hits = ((PER_ACCOUNT, str(account)), (PER_ADDRESS, address))
    for (limit, _subject), count in zip(hits, hit_all(*hits), strict=True):
        if count > limit.count:
            error = TooFast()
            error.retry_after = limit.retry_after()
            raise error


# --- The waiting room ----------------------------------------------------------------------

PASS_SECONDS = 10 * 60
# A second's worth of admissions beyond the front walk straight in: requests of the same instant
# reach the counters in any order, and should not queue behind one another; and Retry-After
# speaks in whole seconds, so whoever comes back when told may be up to a second early (a
# person sent away again then would come back late, and their place would go unused).
BURST_SECONDS = 1.0
EPOCH, JOINED, FRONT, MOVED_AT = "wr:epoch", "wr:joined", "wr:front", "wr:moved-at"


@dataclass(frozen=True)
class Turn:
    admitted: bool
    ahead: int = 0
    wait_seconds: int = 0


def _cache() -> Any:
    return caches["counters"]


def _new_epoch() -> str:
    """Tickets belong to one run of the counters: if the cache was emptied, old tickets are void."""
    cache = _cache()
    cache.add(EPOCH, secrets.token_hex(4), timeout=None)
    return str(cache.get(EPOCH))


def _draw() -> int:
    """The next ticket number: one counter call, but for the very first ticket of a run."""
    cache = _cache()
    try:
        return int(cache.incr(JOINED))
    except ValueError:
        if cache.add(JOINED, 1, timeout=None):
            return 1
        return int(cache.incr(JOINED))


def _front_at(state: dict[str, Any], now: float) -> float:
    """Where the admission front stands at ``now``: moved on at the admission rate since it was
    last written, never past the last ticket drawn."""
    joined = int(state.get(JOINED, 0))
    if MOVED_AT not in state:
        return float(joined)
    moved = settings.BOOKING_ADMISSION_RATE * max(0.0, now - float(state[MOVED_AT]))
    return min(float(joined), float(state[FRONT]) + moved)


def _turn(ticket_number: int, front: float) -> Turn:
    """Admitted when the ticket is within the front (and its burst allowance), else the place in line."""
    rate = settings.BOOKING_ADMISSION_RATE
    reach = front + max(1.0, rate * BURST_SECONDS)
    if ticket_number <= reach:
        return Turn(admitted=True)
    distance = ticket_number - reach
    return Turn(
        admitted=False,
        ahead=max(0, math.ceil(distance) - 1),
        wait_seconds=max(1, math.ceil(distance / rate)),
    )


def _note_key(session_key: str) -> str:
    """Where a waiting person's ticket is noted by their session cookie (hashed: the cookie
    is a credential and the counters cache may be shared)."""
    return "wr:note:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def waiting_room(request: Any) -> Turn:
    """Admit this person now, or tell them their place in line. One look-up for someone who
    holds a pass; a newcomer draws a ticket, kept (per account) until they are let in."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    return _waiting_room(request.user.pk, session_key)


def _waiting_room(who: Any, session_key: str | None) -> Turn:
    # The counters are read together and written together: with Redis each call is a round trip.
    now = time.time()
    cache = _cache()
    pass_key, ticket_key = f"wr:pass:{who}", f"wr:ticket:{who}"
    note_key = _note_key(session_key) if session_key else None
    found = cache.get_many(
        [pass_key, ticket_key, EPOCH, JOINED, FRONT, MOVED_AT] + ([note_key] if note_key else [])
    )
    if found.get(pass_key, 0) > now:
        return Turn(admitted=True)
    epoch = found.get(EPOCH) or _new_epoch()
    ticket = found.get(ticket_key)
    kept: dict[str, Any] = {}  # what this person keeps for the time of a pass
    if not ticket or ticket[0] != epoch:
        ticket = kept[ticket_key] = (epoch, _draw())
    # The front moves on from where it was read; the line is at least as long as this ticket.
    front = _front_at({**found, JOINED: max(int(found.get(JOINED, 0)), ticket[1])}, now)
    cache.set_many({FRONT: front, MOVED_AT: now}, timeout=None)
    turn = _turn(ticket[1], front)
    if turn.admitted:
        # The ticket stays until it expires: whoever comes back with it has already waited.
        kept[pass_key] = now + PASS_SECONDS
        if note_key in found:
            cache.delete(note_key)
    elif note_key and found.get(note_key) != ticket:
        kept[note_key] = ticket
    if kept:
        cache.set_many(kept, timeout=PASS_SECONDS)
    return turn


def early_turn(session_key: str) -> Turn | None:
    """The waiting room's answer for a session already told to wait, from the counters alone
    (one cache read; no session, user or database): their place in line while the front has
    not reached them, or None when the full check must decide (no note, a new epoch, or their
    turn has come). It never admits anyone: admission stays with ``waiting_room``."""
    note_key = _note_key(session_key)
    state = _cache().get_many([note_key, EPOCH, JOINED, FRONT, MOVED_AT])
    note = state.get(note_key)
    if not note or note[0] != state.get(EPOCH):
        return None
    turn = _turn(note[1], _front_at(state, time.time()))
    return None if turn.admitted else turn


def in_line_error(turn: Turn) -> InLine:
    error = InLine(
        # (A plain gettext call: makemessages finds no string behind an alias such as gettext_now.)
        ngettext(
            "You are in line: about %(count)s people are ahead of you. Please wait; it is your turn in about %(seconds)s second.",
            "You are in line: about %(count)s people are ahead of you. Please wait; it is your turn in about %(seconds)s seconds.",
            turn.wait_seconds,
        )
        % {"count": turn.ahead, "seconds": turn.wait_seconds},
        code="waiting_room",
    )
    error.retry_after = min(turn.wait_seconds, 30)
    return error


def admit(request: Any) -> None:
    """Before a booking attempt: the throttles, then the waiting room (InLine while waiting).
    Done once per request: an API attempt is admitted by the gate before the user is loaded
    (``middleware.WaitingRoomAdmission``), and the view's call then finds it done."""
    if getattr(request, ADMITTED, False):
        return
    admit_account(request.user.pk, client_ip(request), getattr(request.session, "session_key", None))


# Set on a request the gate has admitted.
ADMITTED = "gerbang_admitted"


def admit_account(account: Any, address: str, session_key: str | None) -> None:
    """The throttles, then the waiting room, for an account booking from an address (TooFast or
    InLine when not now)."""
    throttle(account, address)
    turn = _waiting_room(account, session_key)
    if not turn.admitted:
        raise in_line_error(turn)
