"""Who is calling the API: a person's browser session or an app a person signed in to.

Every applicant endpoint takes ``auth=signed_in(scope)``: an OAuth 2.1 bearer token (issued by
django-oauth-toolkit, docs/api.md) carrying ``scope``, or else the browser session with its CSRF
token. A bearer request needs no CSRF token (no browser sends it on its own); a session request
still does. The operation then reads ``request.user`` either way.

Only accounts that may use apps (``User.may_use_app_tokens``: applicants) are served through a
token: staff work in the back office, with a session and a second factor, never through an app.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import SessionAuth
from ninja.security.http import HttpBearer
from oauth2_provider.models import get_access_token_model

from gerbang.core.app_scopes import SCOPE_TEXTS, Scope
from gerbang.core.exceptions import ErrorCode, TokenRefused

# How stale a token's "last used" may get before a request writes it again (one UPDATE per
# token per this much time, not one per request).
LAST_USED_EVERY = timedelta(minutes=5)


class AppToken(HttpBearer):
    """``Authorization: Bearer <access token>`` with the operation's scope. No header: not
    this scheme's request (the session is tried next). A header with a token that is not
    valid, or lacks the scope, is refused outright rather than falling back to a session."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        super().__init__()
        # Described as the OAuth2 scheme with the authorization code flow (the OpenAPI document's
        # ``securitySchemes.OAuth2``, filled in by gerbang.api); the operation lists its scope.
        self.openapi_security_schema = {"type": "oauth2"}  # type: ignore[assignment]

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        access = _access_token(token)
        if access is None or access.is_expired() or access.user is None:
            raise TokenRefused()
        user = access.user
        if not user.is_active or not getattr(user, "may_use_app_tokens", False):
            raise TokenRefused(
                _("This account cannot use apps: staff work in the back office, signed in there."),
                code=ErrorCode.TOKEN_NOT_ALLOWED,
            )
        if not access.allow_scopes([self.scope]):
            raise TokenRefused(
                _("The app was not given this permission: “%(what)s”. Sign in again in the app to grant it.")
                % {"what": SCOPE_TEXTS[self.scope]},
                code=ErrorCode.INSUFFICIENT_SCOPE,
                scope=self.scope,
            )
        _note_use(access)
        request.user = user
        request.access_token = access  # type: ignore[attr-defined]
        return user


def _access_token(token: str) -> Any:
    """The stored token (kept only as its SHA-256, as django-oauth-toolkit looks it up)."""
    if not token:
        return None
    checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
    model = get_access_token_model()
    return model.objects.select_related("user", "application").filter(token_checksum=checksum).first()


def _note_use(access: Any) -> None:
    """When the app last used the token, for the person's list of signed-in devices."""
    now = timezone.now()
    if access.updated is None or now - access.updated > LAST_USED_EVERY:
        type(access).objects.filter(pk=access.pk).update(updated=now)


# The session, with its CSRF check on every method (ninja's default for the session).
session = SessionAuth()
_tokens = {scope: AppToken(scope) for scope in Scope}


def signed_in(scope: Scope) -> list[Any]:
    """The ``auth`` of an applicant endpoint: an app's token with ``scope``, or the session."""
    return [_tokens[scope], session]


def scope_of(auth: Any) -> Scope | None:
    """The scope an operation's token needs (for the OpenAPI document), or None."""
    return auth.scope if isinstance(auth, AppToken) else None
