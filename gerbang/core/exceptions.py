"""The one exception hierarchy of domain errors; each carries a translatable message.

Services raise these; one middleware maps them to pages (and the API layer to JSON), so a
view never has to translate an error into a response itself.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    """Every code an error answer may carry (the ``code`` of the API's error body, listed in
    its OpenAPI document): stable strings programs can rely on. An error raised without one
    carries its class's name (the first group)."""

    # The classes' own names, when no code is given.
    APPLICATION_ERROR = "ApplicationError"
    VALIDATION_ERROR = "ValidationError"
    PERMISSION_DENIED = "PermissionDenied"
    NOT_FOUND_ERROR = "NotFound"
    CONFLICT = "Conflict"
    RATE_LIMITED = "RateLimited"
    TOO_FAST = "TooFast"
    IN_LINE = "InLine"
    BUSY = "Busy"
    TOKEN_REFUSED = "TokenRefused"  # noqa: S105 - an error code, not a password
    # The API's answers to requests it cannot read (gerbang/api.py).
    INVALID_REQUEST = "invalid_request"
    NOT_SIGNED_IN = "not_signed_in"
    UNREADABLE_BODY = "unreadable_body"
    CSRF = "csrf"
    NOT_FOUND = "not_found"
    BAD_REQUEST = "bad_request"
    HTTP_ERROR = "http_error"
    # Idempotency-Key (core/idempotency.py).
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use"
    # Bearer tokens of apps (RFC 6750 error codes; gerbang/core/api_auth.py).
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code, not a password
    INSUFFICIENT_SCOPE = "insufficient_scope"
    TOKEN_NOT_ALLOWED = "token_not_allowed"  # noqa: S105 - an error code, not a password
    # Accounts.
    EXPIRED = "expired"
    INVALID = "invalid"
    # Cases.
    GUARD = "guard"
    STALE_VERSION = "stale_version"
    WRONG_STATE = "wrong_state"
    # Appointments.
    ALREADY_BOOKED = "already_booked"
    BOOKING_INACTIVE = "booking_inactive"
    CHECKED_IN = "checked_in"
    HOLD_LAPSED = "hold_lapsed"
    NO_VISIT_NEEDED = "no_visit_needed"
    PAST_CUTOFF = "past_cutoff"
    SLOT_FULL = "slot_full"
    SLOT_UNAVAILABLE = "slot_unavailable"
    STALE_BOOKING = "stale_booking"
    TOO_MANY_RESCHEDULES = "too_many_reschedules"
    WAITING_ROOM = "waiting_room"
    # The on-site queue.
    BOOKING_NOT_ACTIVE = "booking_not_active"
    BUSY_AT_COUNTER = "busy"
    COUNTER_NOT_IN_USE = "counter_not_in_use"
    COUNTER_NOT_OPEN = "counter_not_open"
    NO_LANE = "no_lane"
    OTHER_DAY = "other_day"
    OTHER_OFFICE = "other_office"
    TICKET_MOVED_ON = "ticket_moved_on"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    # Consultations.
    CLOSED = "closed"
    NEW_MESSAGE = "new_message"
    UNANSWERED = "unanswered"
    # Face checks at the counter (biometrics).
    FACE_CHECK_UNAVAILABLE = "FaceCheckUnavailable"
    NO_REFERENCE = "NoReference"


class ApplicationError(Exception):
    status_code = 400
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        field: str | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        # Without a code, the class's name (listed too; a test checks every class). A code not
        # listed fails here, so the API's schema cannot miss one.
        self.code = ErrorCode(code or type(self).__name__)
        super().__init__(str(self.message))


class ValidationError(ApplicationError):
    """Input that breaks a rule; ``field`` names what to fix. ``others`` carries the further
    problems of the same input, so a form can show them all at once (``Problems``)."""

    status_code = 400
    default_message = _("Please correct the entered data.")
    others: tuple[ValidationError, ...] = ()


class Problems:
    """Collects every problem of one input before refusing it, so a person fixes them in one
    go rather than meeting them one by one: ``with Problems() as problems: problems.check(...)``
    raises the first problem carrying the rest when the block ends with any."""

    def __init__(self) -> None:
        self.found: list[ValidationError] = []

    def add(self, error: ValidationError) -> None:
        self.found.append(error)

    def __enter__(self) -> Problems:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if isinstance(value, ValidationError):
            self.found.append(value)
        elif value is not None:
            return
        if self.found:
            first = self.found[0]
            first.others = tuple(self.found[1:])
            raise first


class PermissionDenied(ApplicationError):
    status_code = 403
    default_message = _("You do not have permission to do this.")


class NotFound(ApplicationError):
    status_code = 404
    default_message = _("The page or item was not found.")


class Conflict(ApplicationError):
    status_code = 409
    default_message = _("This conflicts with the current state; reload and try again.")


class RateLimited(ApplicationError):
    status_code = 429
    default_message = _("Too many attempts. Please wait a moment and try again.")
    # Seconds after which trying again makes sense (sent as the Retry-After header).
    retry_after = 5


class TokenRefused(ApplicationError):
    """A bearer token the API does not take (RFC 6750 §3): unknown, expired or revoked (401),
    without the scope the operation needs, or of an account that may not use apps (403). The
    answer carries the challenge for ``WWW-Authenticate``."""

    status_code = 401
    default_message = _("The access token is not valid (expired or revoked). Sign in again in the app.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: ErrorCode = ErrorCode.INVALID_TOKEN,
        scope: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.scope = scope
        if code != ErrorCode.INVALID_TOKEN:
            self.status_code = 403

    @property
    def challenge(self) -> str:
        error = "insufficient_scope" if self.code == ErrorCode.INSUFFICIENT_SCOPE else "invalid_token"
        scope = f', scope="{self.scope}"' if self.scope else ""
        return f'Bearer realm="gerbang", error="{error}"{scope}'
