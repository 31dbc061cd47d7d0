"""Exactly once: a write sent again with the same idempotency key gets the first result.

Two users of one table (``core.models.IdempotencyKey``, unique per owner, scope and key):

- **Services** that people may send twice (a form queued offline and sent when the connection
  returns, a page reloaded during the send) take ``idempotency_key``: the key a form carries as
  the hidden field ``idempotency_key`` (a fresh UUID per display, ``{% idempotency_field %}``).
  ``run_once`` inserts the key in the service's own transaction, before the write, and records
  what was written: a second use, even a concurrent one, meets the unique constraint and gets
  the first result; nothing is written twice.
- **The JSON API**: every POST and PATCH accepts an ``Idempotency-Key`` header (the IETF httpapi
  draft "The Idempotency-Key HTTP Header Field"). The first request's response is stored; a
  repeat with the same key and the same request gets it again (marked ``Idempotent-Replayed``);
  the same key with another request is a 422; a repeat while the first is still being answered
  a 409. ``api_once`` does it for every operation (``gerbang/api.py``).

Keys are kept for a day (``KEPT``), then purged (``core.tasks.purge_idempotency_keys``).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.core.exceptions import ErrorCode
from gerbang.core.models import IdempotencyKey

T = TypeVar("T")

FORM_FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
API_SCOPE = "api"
KEPT = timedelta(days=1)
# An API request still unanswered after this long was cut off (its process ended): its key
# may be used again.
ABANDONED_AFTER = timedelta(minutes=5)
KEY_MAX = 255
METHODS = frozenset({"POST", "PATCH"})
# Answers that say the request was not taken up (not signed in, no CSRF token, too many): not
# kept, so the same key works once the client has put that right.
NOT_ANSWERED = frozenset({401, 403, 429})


class Repeated(Exception):
    """The key was used before (``claim``): ``result_id`` is what that use wrote."""

    def __init__(self, result_id: int | None) -> None:
        super().__init__(result_id)
        self.result_id = result_id


def new_key() -> str:
    return str(uuid.uuid4())


def form_key(data: Mapping[str, Any]) -> str | None:
    """The key a form sent (``FORM_FIELD``), when it is a UUID; None otherwise (a form from
    before keys, or a tampered one: sent as it was, without the protection)."""
    value = str(data.get(FORM_FIELD) or "").strip()
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def owner_of(user: Any) -> str:
    return f"user:{user.pk}"


def first_result(*, owner: str, scope: str, key: str | None) -> int | None:
    """What the first use of ``key`` wrote, if it was used (a cheap look before the work; the
    unique constraint in ``claim`` is what decides)."""
    if not key:
        return None
    return (
        IdempotencyKey.objects.filter(owner=owner, scope=scope, key=key)
        .values_list("result_id", flat=True)
        .first()
    )


def claim(*, owner: str, scope: str, key: str | None) -> IdempotencyKey | None:
    """Take ``key`` inside the caller's transaction, before it writes; raise ``Repeated`` when
    another use has it (a concurrent one waits for the first to commit: the database's unique
    index decides, not this function)."""
    if not key:
        return None
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(owner=owner, scope=scope, key=key)
    except IntegrityError:
        raise Repeated(first_result(owner=owner, scope=scope, key=key)) from None


def run_once(
    *, owner: str, scope: str, key: str | None, write: Callable[[], T], load: Callable[[int], T]
) -> T:
    """``write()`` in one transaction with the key's claim; when the key was used already, the
    first result, ``load(result_id)``, and nothing written. ``write`` returns a model."""
    try:
        with transaction.atomic():
            record = claim(owner=owner, scope=scope, key=key)
            result = write()
            if record is not None:
                record.result_id = result.pk  # type: ignore[attr-defined]
                record.save(update_fields=["result_id"])
            return result
    except Repeated as repeated:
        if repeated.result_id is None:  # pragma: no cover - a claim always records its result
            raise
        return load(repeated.result_id)


def purge(*, now: datetime | None = None) -> int:
    """Forget keys older than a day; how many were forgotten."""
    cutoff = (now or timezone.now()) - KEPT
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- The API's header ---------------------------------------------------------------------------

Refuse = Callable[..., HttpResponse]


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def request_owner(request: HttpRequest) -> str:
    """Whose keys these are: the signed-in user; else the anonymous session; else the address
    (anonymous keys are random UUIDs, so they meet only their own)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return owner_of(user)
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        return f"session:{_hashed(session_key)}"
    return f"address:{_hashed(str(request.META.get('REMOTE_ADDR', '')))}"


def header_key(value: str) -> str | None:
    """The header's key: a structured-field string (``"8e03978e-…"``), its quotes optional;
    None when empty, too long or not printable ASCII."""
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key or len(key) > KEY_MAX or not all(" " <= c <= "~" for c in key):
        return None
    return key


def request_fingerprint(request: HttpRequest) -> str:
    """The request as its sender meant it: method, path, query and body. Form data is read
    field by field and file by file, so a client that builds it again (another boundary)
    sends the same request."""
    digest = hashlib.sha256(
        f"{request.method} {request.path}?{request.META.get('QUERY_STRING', '')}".encode()
    )
    if (request.content_type or "").startswith("multipart/"):
        for name, values in sorted(request.POST.lists()):
            for value in values:
                digest.update(f"\0{name}={value}".encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(f"\0{name}:{upload.name}:".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(b"\0" + request.body)
    return digest.hexdigest()


def _claim_request(owner: str, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """The key's record, and whether this request is the one to answer it."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    owner=owner, scope=API_SCOPE, key=key, fingerprint=fingerprint
                )
            return record, True
        except IntegrityError:
            found = IdempotencyKey.objects.filter(owner=owner, scope=API_SCOPE, key=key).first()
            if found is None:
                continue  # released in between (its request failed): try again
            cut_off = timezone.now() - ABANDONED_AFTER
            if found.status is None and found.fingerprint == fingerprint and found.created_at < cut_off:
                # Its request never finished: this one takes the key over (one of several wins).
                taken = IdempotencyKey.objects.filter(
                    pk=found.pk, status__isnull=True, created_at=found.created_at
                ).update(created_at=timezone.now())
                if taken:
                    return found, True
            return found, False
    raise RuntimeError("the idempotency key could not be claimed")  # pragma: no cover


def _answer_again(
    request: HttpRequest, record: IdempotencyKey, fingerprint: str, refuse: Refuse
) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return refuse(
            request,
            422,
            _(
                "This Idempotency-Key was already used for another request. Send a new key "
                "with each new request; repeat a key only to send the same request again."
            ),
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            field=HEADER,
        )
    if record.status is None:
        response = refuse(
            request,
            409,
            _("A request with this Idempotency-Key is still being answered. Try again in a moment."),
            ErrorCode.IDEMPOTENCY_KEY_IN_USE,
            field=HEADER,
        )
        response["Retry-After"] = "1"
        return response
    response = HttpResponse(record.body, status=record.status, content_type=record.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


def api_once(run: Callable[..., HttpResponse], refuse: Refuse) -> Callable[..., HttpResponse]:
    """Wrap an API operation: a POST or PATCH with an ``Idempotency-Key`` header is answered
    once; its repeats get the stored answer. ``refuse(request, status, detail, code, field=)``
    makes the API's error answers. A 5xx answer (or an exception), and one that says the request
    was not taken up (``NOT_ANSWERED``), is not kept: the client may try the key again."""

    @wraps(run)
    def once(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.headers.get(HEADER)
        if request.method not in METHODS or raw is None:
            return run(request, *args, **kwargs)
        key = header_key(raw)
        if key is None:
            detail = _(
                "The Idempotency-Key header must be 1 to %(max)s printable characters (a UUID, say)."
            ) % {"max": KEY_MAX}
            return refuse(request, 400, detail, ErrorCode.IDEMPOTENCY_KEY_INVALID, field=HEADER)
        try:
            fingerprint = request_fingerprint(request)
        except (MultiPartParserError, SuspiciousOperation):
            return run(request, *args, **kwargs)  # the operation answers what cannot be read
        record, first = _claim_request(request_owner(request), key, fingerprint)
        if not first:
            return _answer_again(request, record, fingerprint, refuse)
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        try:
            body = response.content.decode()
        except (AttributeError, UnicodeDecodeError):
            body = None  # a stream or a file: not kept
        if response.status_code in NOT_ANSWERED or response.status_code >= 500 or body is None:
            record.delete()
            return response
        record.status = response.status_code
        record.content_type = response.get("Content-Type", "")[:100]
        record.body = body
        record.save(update_fields=["status", "content_type", "body"])
        return response

    return once
