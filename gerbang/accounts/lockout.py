"""Failed sign-ins per account, without letting a stranger lock the owner out.

NIST SP 800-63B (5.2.2) asks for a limit on failed attempts per account, and warns that a lock
anyone can trigger is itself an attack. So, per account (counted under a keyed hash of the email
address, known or not, so that an unknown address behaves like a known one):

- after ``LOGIN_FAILURES_PER_ACCOUNT`` failures in a row, sign-ins from browsers that have not
  signed in to this account before must wait, 30 seconds at first, twice as long after each
  further failure, up to ``LOGIN_LOCKOUT_MINUTES``; while they wait, no password is checked, so
  nothing can be guessed (a few guesses an hour, at most);
- a browser that has signed in to the account before (it keeps a signed note, the "known
  browser" cookie) is never made to wait: the owner goes on signing in as usual;
- whoever uses a second factor (every staff member) signs in at once, anywhere, by giving the
  password and a code together: the answer never says which of the two was wrong;
- the owner is told by email once the limit is reached, with the times and network addresses
  of the attempts, and a link that makes the browser it is opened in a known one;
- a successful sign-in or a new password (reset) starts the count again.

The per-address limit (``accounts.throttling.ip_failure_limit``) stays as it was.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

COOKIE = "gerbang_known"
_COOKIE_SALT = "gerbang.accounts.known-browser"
_UNLOCK_SALT = "gerbang.accounts.unlock"
UNLOCK_SECONDS = 60 * 60
FIRST_DELAY_SECONDS = 30
# Failures are remembered this long after the last one (then the count starts again).
MEMORY_SECONDS = 24 * 60 * 60
# Browsers remember this many accounts (a family's shared computer), for a year.
KNOWN_ACCOUNTS = 5
COOKIE_SECONDS = 365 * 24 * 60 * 60
# The attempts the owner's email lists.
LISTED_ATTEMPTS = 10


@dataclass
class Record:
    failures: int = 0
    until: float = 0.0  # before this moment, unknown browsers wait
    told: bool = False  # the owner has been told of this run of failures
    attempts: list[tuple[float, str]] = field(default_factory=list)  # (when, network address)
    # This run of failures: the owner's link works only for it, and only once.
    episode: str = ""
    link_used: bool = False


def _key(email: str) -> str:
    return "login-account:" + salted_hmac("gerbang.accounts.lockout", email.lower()).hexdigest()[:32]


def _read(email: str) -> Record:
    stored = caches["counters"].get(_key(email))
    if not isinstance(stored, dict):
        return Record()
    return Record(
        failures=int(stored.get("failures", 0)),
        until=float(stored.get("until", 0.0)),
        told=bool(stored.get("told", False)),
        attempts=[(float(at), str(address)) for at, address in stored.get("attempts", [])],
        episode=str(stored.get("episode", "")),
        link_used=bool(stored.get("link_used", False)),
    )


def _write(email: str, record: Record) -> None:
    caches["counters"].set(_key(email), asdict(record), MEMORY_SECONDS)


def limit() -> int:
    return int(settings.LOGIN_FAILURES_PER_ACCOUNT)


def longest_wait() -> int:
    return int(settings.LOGIN_LONGEST_WAIT.total_seconds())


def wait_seconds(email: str, *, now: float | None = None) -> int:
    """How long a browser new to this account must still wait before its next try (0: none)."""
    record = _read(email)
    if record.failures < limit():
        return 0
    return max(0, int(record.until - (now if now is not None else time.time()) + 0.999))


def failed(email: str, *, address: str, now: float | None = None) -> tuple[Record, bool]:
    """Count a failed sign-in; the record, and whether the owner is to be told now (the limit
    is reached for the first time in this run of failures: told once per run)."""
    moment = now if now is not None else time.time()
    record = _read(email)
    record.failures += 1
    record.episode = record.episode or secrets.token_hex(8)
    record.attempts = [*record.attempts, (moment, address)][-LISTED_ATTEMPTS:]
    beyond = record.failures - limit()
    if beyond >= 0:
        record.until = moment + min(longest_wait(), FIRST_DELAY_SECONDS * 2**beyond)
    tell = beyond >= 0 and not record.told
    record.told = record.told or tell
    _write(email, record)
    return record, tell


def succeeded(email: str) -> None:
    """Signed in, or a new password set: the count starts again."""
    caches["counters"].delete(_key(email))


# --- Known browsers ------------------------------------------------------------------------------


def _tag(user: Any) -> str:
    return salted_hmac(_COOKIE_SALT, str(user.pk)).hexdigest()[:20]


def _known_tags(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(COOKIE, "")
    if not raw:
        return []
    try:
        tags = signing.loads(raw, salt=_COOKIE_SALT)
    except signing.BadSignature:
        return []
    return [str(tag) for tag in tags] if isinstance(tags, list) else []


def is_known_browser(request: HttpRequest, user: Any) -> bool:
    return user is not None and _tag(user) in _known_tags(request)


def remember_browser(request: HttpRequest, response: HttpResponse, user: Any) -> None:
    """Note in this browser that it has signed in to (or was vouched for by) ``user``."""
    tags = [tag for tag in _known_tags(request) if tag != _tag(user)]
    tags = [*tags, _tag(user)][-KNOWN_ACCOUNTS:]
    response.set_cookie(
        COOKIE,
        signing.dumps(tags, salt=_COOKIE_SALT),
        max_age=COOKIE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- The owner's link --------------------------------------------------------------------------


def unlock_token(user: Any) -> str:
    """The owner's link for the current run of failures (made when the email is written)."""
    return signing.dumps({"u": user.pk, "t": _tag(user), "e": _read(user.email).episode}, salt=_UNLOCK_SALT)


def use_unlock_token(token: str) -> Any:
    """The account an unlock link was made for, and the link spent; None when it is not valid:
    not ours, older than an hour, used already, or of a run of failures that has ended (a
    sign-in or a new password since) or been followed by another."""
    from gerbang.accounts.models import User

    try:
        data = signing.loads(token, salt=_UNLOCK_SALT, max_age=UNLOCK_SECONDS)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or _tag(user) != data.get("t"):
        return None
    record = _read(user.email)
    if not record.episode or record.episode != data.get("e") or record.link_used:
        return None
    record.link_used = True
    _write(user.email, record)
    return user
