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

A visit (the throttles, then the waiting room) is one atomic step: with Redis one Lua script,
one round trip (each redis-py round trip costs about 0.1 ms of CPU, and a visit was six); with
the memory of a process, the same steps in Python under one lock. Both keep the same values in
the same forms, so the gate in front of the session reads either the same way.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerbang.accounts.throttling import client_ip
from gerbang.core.cache import RedisCache, count_hits
from gerbang.core.exceptions import ErrorCode, RateLimited
from gerbang.core.ratelimit import Limit

# A person choosing times presses a few times a minute; a script presses hundreds.
PER_ACCOUNT = Limit("booking-account", 20, 60)
# Generous: an office's public network or a mobile carrier's NAT puts many people behind one address.
PER_ADDRESS = Limit("booking-address", 300, 60)


class TooFast(RateLimited):
    default_message = _("Too many booking attempts in a short time. Please wait a minute and try again.")


class InLine(RateLimited):
    """Not yet admitted by the waiting room."""


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


# --- What a visit finds, the same on every cache ---------------------------------------------
# Values are kept as plain text and numbers (Redis's own strings), never pickles: a ticket and
# a note are "<epoch>:<number>" (tickets belong to one run of the counters: if the cache was
# emptied, old tickets are void), a pass is the moment it ends, the front a number of tickets.


def _allowance() -> float:
    """How far beyond the front a ticket is let in (the burst: at least the next one)."""
    return max(1.0, settings.BOOKING_ADMISSION_RATE * BURST_SECONDS)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _ticket_number(value: Any, epoch: Any) -> int | None:
    """The number of a ticket (or note) of this epoch; None for none or an old one."""
    if value is None or epoch is None:
        return None
    kept_epoch, _sep, number = _text(value).rpartition(":")
    return int(number) if kept_epoch == _text(epoch) and number.isdigit() else None


def _front_at(joined: int, front: Any, moved_at: Any, now: float) -> float:
    """Where the admission front stands at ``now``: moved on at the admission rate since it was
    last written, never past the last ticket drawn."""
    if moved_at is None or front is None:
        return float(joined)
    moved = settings.BOOKING_ADMISSION_RATE * max(0.0, now - float(moved_at))
    return min(float(joined), float(front) + moved)


def _turn(ticket_number: int, front: float) -> Turn:
    """Admitted when the ticket is within the front (and its burst allowance), else the place in line."""
    reach = front + _allowance()
    if ticket_number <= reach:
        return Turn(admitted=True)
    distance = ticket_number - reach
    return Turn(
        admitted=False,
        ahead=max(0, math.ceil(distance) - 1),
        wait_seconds=max(1, math.ceil(distance / settings.BOOKING_ADMISSION_RATE)),
    )


def _note_key(session_key: str) -> str:
    """Where a waiting person's ticket is noted by their session cookie (hashed: the cookie
    is a credential and the counters cache may be shared)."""
    return "wr:note:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Visit:
    """Who comes (an account, and the note of their session if any), the throttles to count
    (a limit and its subject), and when."""

    who: Any
    note_key: str | None
    hits: tuple[tuple[Limit, str], ...]
    now: float

    @property
    def pass_key(self) -> str:
        return f"wr:pass:{self.who}"

    @property
    def ticket_key(self) -> str:
        return f"wr:ticket:{self.who}"


@dataclass(frozen=True)
class _Outcome:
    throttled: int | None = None  # the index of the first hit over its limit
    turn: Turn = Turn(admitted=True)


# --- With Redis: one script ------------------------------------------------------------------

# KEYS: epoch, joined, front, moved-at, the pass, the ticket, the note (or a key never used),
#       then the throttle counters.
# ARGV: now, the allowance beyond the front, the admission rate, the pass's seconds, an epoch
#       to start with, whether there is a note, then each counter's window and limit.
# Returns {'throttled', i} | {'pass'} | {'in' or 'wait', ticket number, front}.
_VISIT = """
local now, allowance, rate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local pass_seconds, noted = tonumber(ARGV[4]), ARGV[6] == '1'
local first_hit = 7
local counts = {}
for i = first_hit + 1, #KEYS do
  local n = i - first_hit
  counts[n] = redis.call('incr', KEYS[i])
  if counts[n] == 1 then redis.call('expire', KEYS[i], ARGV[5 + 2 * n]) end
end
for n = 1, #counts do
  if counts[n] > tonumber(ARGV[6 + 2 * n]) then return {'throttled', n - 1} end
end
local pass = tonumber(redis.call('get', KEYS[5]))
if pass and pass > now then return {'pass'} end
redis.call('setnx', KEYS[1], ARGV[5])
local epoch = redis.call('get', KEYS[1])
local ticket = redis.call('get', KEYS[6])
local number
if ticket then
  local kept_epoch, kept_number = string.match(ticket, '^(.*):(%d+)$')
  if kept_epoch == epoch then number = tonumber(kept_number) end
end
if number then
  redis.call('expire', KEYS[6], pass_seconds)
else
  number = redis.call('incr', KEYS[2])
  ticket = epoch .. ':' .. number
  redis.call('set', KEYS[6], ticket, 'EX', pass_seconds)
end
local joined = math.max(tonumber(redis.call('get', KEYS[2]) or 0), number)
local front, moved_at = redis.call('get', KEYS[3]), redis.call('get', KEYS[4])
if front and moved_at then
  front = math.min(joined, tonumber(front) + rate * math.max(0, now - tonumber(moved_at)))
else
  front = joined
end
local front_text = string.format('%.17g', front)
redis.call('set', KEYS[3], front_text)
redis.call('set', KEYS[4], ARGV[1])
if number <= front + allowance then
  redis.call('set', KEYS[5], string.format('%.17g', now + pass_seconds), 'EX', pass_seconds)
  if noted then redis.call('del', KEYS[7]) end
  return {'in', number, front_text}
end
if noted then redis.call('set', KEYS[7], ticket, 'EX', pass_seconds) end
return {'wait', number, front_text}
"""

_PEEK = "return redis.call('mget', unpack(KEYS))"
_NO_NOTE = "wr:note:-"


def _visit_redis(cache: RedisCache, visit: _Visit) -> _Outcome:
    keys = [EPOCH, JOINED, FRONT, MOVED_AT, visit.pass_key, visit.ticket_key, visit.note_key or _NO_NOTE]
    args: list[Any] = [
        repr(visit.now),
        repr(_allowance()),
        repr(float(settings.BOOKING_ADMISSION_RATE)),
        PASS_SECONDS,
        secrets.token_hex(4),
        int(visit.note_key is not None),
    ]
    for limit, subject in visit.hits:
        keys.append(limit.key(subject))
        args += [limit.window_seconds, limit.count]
    answer = cache.run_script(_VISIT, keys, args)
    verdict = _text(answer[0])
    if verdict == "throttled":
        return _Outcome(throttled=int(answer[1]))
    if verdict == "pass":
        return _Outcome()
    return _Outcome(turn=_turn(int(answer[1]), float(_text(answer[2]))))


# --- Without Redis: the same steps in this process, one visit at a time ------------------------

_memory_lock = threading.Lock()  # the memory cache is one per process, shared by its threads


def _visit_memory(cache: Any, visit: _Visit) -> _Outcome:
    with _memory_lock:
        counts = count_hits(
            cache, [(limit.key(subject), limit.window_seconds) for limit, subject in visit.hits]
        )
        for n, ((limit, _subject), count) in enumerate(zip(visit.hits, counts, strict=True)):
            if count > limit.count:
                return _Outcome(throttled=n)
        found = cache.get_many([visit.pass_key, visit.ticket_key, EPOCH, JOINED, FRONT, MOVED_AT])
        if float(found.get(visit.pass_key) or 0) > visit.now:
            return _Outcome()
        epoch = found.get(EPOCH)
        if epoch is None:
            epoch = secrets.token_hex(4)
            cache.set(EPOCH, epoch, timeout=None)
        joined = int(found.get(JOINED) or 0)
        number = _ticket_number(found.get(visit.ticket_key), epoch)
        if number is None:
            joined = number = joined + 1
            cache.set(JOINED, joined, timeout=None)
        ticket = f"{epoch}:{number}"
        cache.set(visit.ticket_key, ticket, timeout=PASS_SECONDS)
        front = _front_at(max(joined, number), found.get(FRONT), found.get(MOVED_AT), visit.now)
        cache.set_many({FRONT: front, MOVED_AT: visit.now}, timeout=None)
        turn = _turn(number, front)
        if turn.admitted:
            cache.set(visit.pass_key, visit.now + PASS_SECONDS, timeout=PASS_SECONDS)
            if visit.note_key:
                cache.delete(visit.note_key)
        elif visit.note_key:
            cache.set(visit.note_key, ticket, timeout=PASS_SECONDS)
        return _Outcome(turn=turn)


def _cache() -> Any:
    return caches["counters"]


def _visit(visit: _Visit, cache: Any = None) -> _Outcome:
    cache = _cache() if cache is None else cache
    if isinstance(cache, RedisCache):
        return _visit_redis(cache, visit)
    return _visit_memory(cache, visit)


# --- The doors -----------------------------------------------------------------------------


def waiting_room(request: Any) -> Turn:
    """Admit this person now, or tell them their place in line (a page asking, no throttles).
    Whoever holds a pass walks in; a newcomer draws a ticket, kept (per account) until let in."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    return _visit(
        _Visit(
            who=request.user.pk,
            note_key=_note_key(session_key) if session_key else None,
            hits=(),
            now=time.time(),
        )
    ).turn


def early_turn(session_key: str) -> Turn | None:
    """The waiting room's answer for a session already told to wait, from the counters alone
    (one cache read; no session, user or database): their place in line while the front has
    not reached them, or None when the full check must decide (no note, a new epoch, or their
    turn has come). It never admits anyone: admission stays with the full visit."""
    return _peek(_cache(), _note_key(session_key), time.time())


def _peek(cache: Any, note_key: str, now: float) -> Turn | None:
    keys = [note_key, EPOCH, JOINED, FRONT, MOVED_AT]
    if isinstance(cache, RedisCache):
        note, epoch, joined, front, moved_at = cache.run_script(_PEEK, keys, [])
    else:
        found = cache.get_many(keys)
        note, epoch, joined, front, moved_at = (found.get(key) for key in keys)
    number = _ticket_number(note, epoch)
    if number is None:
        return None
    turn = _turn(number, _front_at(int(joined or 0), front, moved_at, now))
    return None if turn.admitted else turn


def _in_line_message(ahead: int, seconds: int) -> str:
    # (A plain call: makemessages sees no string behind an alias such as gettext_now.)
    return ngettext(
        "You are in line: about %(count)s people are ahead of you. Please wait; it is your turn in about %(seconds)s second.",
        "You are in line: about %(count)s people are ahead of you. Please wait; it is your turn in about %(seconds)s seconds.",
        seconds,
    ) % {"count": ahead, "seconds": seconds}


# Said in the language of whoever answers: the gates refuse before the language is chosen.
_in_line_message_lazy = lazy(_in_line_message, str)


def in_line_error(turn: Turn) -> InLine:
    error = InLine(
        _in_line_message_lazy(turn.ahead, turn.wait_seconds),
        code=ErrorCode.WAITING_ROOM,
    )
    error.retry_after = min(turn.wait_seconds, 30)
    return error


# Set on a request the gate has admitted.
ADMITTED = "gerbang_admitted"


def admit(request: Any) -> None:
    """Before a booking attempt: the throttles, then the waiting room (InLine while waiting).
    Done once per request: an API attempt is admitted by the gate before the user is loaded
    (``middleware.WaitingRoomAdmission``), and the view's call then finds it done."""
    if getattr(request, ADMITTED, False):
        return
    admit_account(request.user.pk, client_ip(request), getattr(request.session, "session_key", None))


def admit_account(account: Any, address: str, session_key: str | None) -> None:
    """The throttles (one account hammering, many accounts from one address), then the waiting
    room, for an account booking from an address: one visit. TooFast or InLine when not now."""
    visit = _Visit(
        who=account,
        note_key=_note_key(session_key) if session_key else None,
        hits=((PER_ACCOUNT, str(account)), (PER_ADDRESS, address)),
        now=time.time(),
    )
    outcome = _visit(visit)
    if outcome.throttled is not None:
        error = TooFast()
        error.retry_after = visit.hits[outcome.throttled][0].retry_after()
        raise error
    if not outcome.turn.admitted:
        raise in_line_error(outcome.turn)
