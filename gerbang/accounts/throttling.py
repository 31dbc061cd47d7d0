"""Throttling of failed sign-ins, per account (django-axes) and per IP address (core limit)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gerbang.core.ratelimit import Limit


def ip_failure_limit() -> Limit:
    return Limit("login-fail-ip", settings.LOGIN_FAILURES_PER_IP, 15 * 60)


def client_ip(request: HttpRequest) -> str:
    """The client address as the WSGI server saw it. Behind a proxy, the proxy must set
    REMOTE_ADDR (granian does not trust X-Forwarded-For on its own)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse | None:
    """django-axes calls this when an account is locked. The sign-in view already rendered the
    form with the lockout message (keeping what was typed), so that page is the answer."""
    if original_response is not None:
        return original_response
    from gerbang.accounts.views import locked_out_page

    return locked_out_page(request)
