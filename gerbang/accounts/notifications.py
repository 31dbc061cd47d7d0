"""Account messages through the notification outbox: email-address verification, the notice
that an address is already registered, staff invitations and password resets.

The outbox keeps only who and what; links (with their tokens) are made when the message is
rendered, so no usable token ever sits in the database.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def password_setup_link(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return _absolute(
        reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    )


def account_message(user: Any, kind: str, *, context: dict[str, Any] | None = None) -> None:
    """Queue an account message in the caller's transaction (each request is a new message).
    ``context`` holds facts for the message, never a link or token."""
    from gerbang.notifications.services import outbox_add

    outbox_add(
        recipient=user, kind=kind, dedup_key=f"{kind}:{user.pk}:{secrets.token_hex(8)}", context=context or {}
    )


def message_context(message: Any) -> dict[str, Any]:
    from gerbang.accounts.services import email_verification_token

    user = message.recipient
    context: dict[str, Any] = {"user": user}
    if message.kind == "account.verify_email":
        context["link"] = _absolute(reverse("accounts:verify_email", args=[email_verification_token(user)]))
    elif message.kind in {"account.staff_invitation", "account.password_reset"}:
        context["link"] = password_setup_link(user)
    elif message.kind == "account.failed_sign_ins":
        from django.utils.dateparse import parse_datetime

        from gerbang.accounts.lockout import UNLOCK_SECONDS, unlock_token

        context.update(
            failures=message.context.get("failures", 0),
            attempts=[(parse_datetime(at), where) for at, where in message.context.get("attempts", [])],
            unlock=_absolute(reverse("accounts:login_unlock", args=[unlock_token(user)])),
            unlock_minutes=UNLOCK_SECONDS // 60,
            reset=_absolute(reverse("accounts:password_reset")),
            security=_absolute(reverse("accounts:security")),
        )
    elif message.kind == "account.two_factor_reset":
        context["sign_in"] = _absolute(reverse("accounts:login"))
    elif message.kind == "account.already_registered":
        context.update(
            {
                "sign_in": _absolute(reverse("accounts:login")),
                "reset": _absolute(reverse("accounts:password_reset")),
            }
        )
    return context
