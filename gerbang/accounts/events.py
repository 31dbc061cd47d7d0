"""The typed codes of account events (written by accounts.services), and the domain events
other apps react to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gerbang.core.events import DomainEvent


class AccountEvent(StrEnum):
    REGISTERED = "account.registered"
    EMAIL_VERIFIED = "account.email_verified"
    PROFILE_UPDATED = "account.profile_updated"
    SIGNED_IN = "account.signed_in"
    PASSWORD_CHANGED = "account.password_changed"  # noqa: S105 - an event code, not a password
    PASSWORD_RESET = "account.password_reset"  # noqa: S105 - an event code, not a password
    TWO_FACTOR_ENABLED = "account.two_factor_enabled"
    TWO_FACTOR_DISABLED = "account.two_factor_disabled"
    TWO_FACTOR_RESET = "account.two_factor_reset"
    RECOVERY_CODES_CREATED = "account.recovery_codes_created"
    PROVISIONED = "account.provisioned"
    # An officer registered a walk-in person (an assisted application): no email, no password.
    ASSISTED_REGISTERED = "account.assisted_registered"
    # That person took their account over online: their own email address and password.
    TAKEN_OVER = "account.taken_over"
    STAFF_CREATED = "staff.created"
    STAFF_OFFICES_CHANGED = "staff.offices_changed"
    ACCESS_CHANGED = "account.access_changed"
    # The profile pseudonymised at the person's request (UU PDP Pasal 43): names no field's value.
    ERASED = "account.erased"


@dataclass(frozen=True, kw_only=True)
class CredentialsChanged(DomainEvent):
    """The account's password or second factor changed (by its owner, a reset link, or an
    administrator): whatever trusted the old ones (apps' tokens) should stop."""

    person: Any
    what: str  # an AccountEvent code
